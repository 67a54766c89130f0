//! Fixed vocabularies of the synthetic data: names, places, banks, reasons.
//!
//! Everything here is a `const` table so that the generator's output depends
//! only on its options (never on a locale, a file or the clock).

/// The most frequent one-character surnames, drawn half of the time.
pub(super) const COMMON_SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
];

/// Other one-character surnames.
pub(super) const SURNAMES: &[&str] = &[
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
    "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴",
];

/// Two-character surnames (复姓), drawn rarely.
pub(super) const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "公孙",
];

/// Characters of given names.
pub(super) const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "兰", "霞", "平", "刚", "桂", "华", "建", "国", "玉", "淑", "珍", "凤", "芝",
    "红", "梅", "文", "斌", "辉", "鹏", "林", "波", "宁", "海", "燕", "琴", "云", "莲", "志", "春",
    "荣", "德", "福", "贵", "金", "顺", "宝", "成", "发", "生", "山", "清", "秋", "菊", "翠", "萍",
    "庆", "永", "长", "胜", "利", "学", "忠", "良", "兴", "玲", "慧", "晓", "东", "亮", "霖", "新",
];

/// First parts of Uyghur-style names written with a middle dot.
pub(super) const MINORITY_FIRST: &[&str] = &[
    "阿依古丽",
    "古丽娜尔",
    "热依拉",
    "努尔古丽",
    "艾力",
    "买买提",
    "阿不都",
    "吐尔逊",
    "艾尔肯",
    "帕提古丽",
    "迪丽努尔",
    "伊力哈木",
];

/// Second parts (the father's name) of Uyghur-style names.
pub(super) const MINORITY_SECOND: &[&str] = &[
    "买买提",
    "吐尔逊",
    "艾则孜",
    "托合提",
    "阿不都热依木",
    "尼亚孜",
    "司马义",
    "热合曼",
    "玉素甫",
];

/// Real six-digit administrative division codes (district level).
pub(super) const REGIONS: &[&str] = &[
    "110105", "110108", "310104", "310115", "440305", "440106", "510107", "650102", "420106",
    "320102", "330106", "370102", "410105", "430102", "610113", "500103",
];

/// A bank: its name, the six-digit BIN of its cards, the card length and the
/// weight (in percent) of households banking there.
pub(super) struct Bank {
    pub name: &'static str,
    pub bin: &'static str,
    pub len: usize,
    pub weight: u32,
}

pub(super) const BANKS: &[Bank] = &[
    Bank {
        name: "中国农业银行",
        bin: "622848",
        len: 19,
        weight: 55,
    },
    Bank {
        name: "中国工商银行",
        bin: "622202",
        len: 19,
        weight: 10,
    },
    Bank {
        name: "中国建设银行",
        bin: "621700",
        len: 19,
        weight: 10,
    },
    Bank {
        name: "中国邮政储蓄银行",
        bin: "621799",
        len: 19,
        weight: 10,
    },
    Bank {
        name: "中国银行",
        bin: "621661",
        len: 19,
        weight: 5,
    },
    Bank {
        name: "农村商业银行",
        bin: "621336",
        len: 16,
        weight: 7,
    },
    Bank {
        name: "农村信用合作联社",
        bin: "622319",
        len: 18,
        weight: 2,
    },
    Bank {
        name: "村镇银行",
        bin: "623098",
        len: 17,
        weight: 1,
    },
];

/// Communities with their street, in roster order (households are grouped by
/// community, as real rosters are).
pub(super) const COMMUNITIES: &[(&str, &str)] = &[
    ("和平社区", "幸福街道"),
    ("幸福社区", "幸福街道"),
    ("光明社区", "幸福街道"),
    ("建设社区", "和平街道"),
    ("友谊社区", "和平街道"),
    ("团结社区", "和平街道"),
    ("新华社区", "光明街道"),
    ("民主社区", "光明街道"),
];

/// Bank failure reasons (回盘失败原因).
pub(super) const FAIL_REASONS: &[&str] = &[
    "户名与账号不符",
    "账户不存在",
    "卡或账号已销户",
    "账户冻结",
    "已挂失",
    "未激活",
];

/// Family changes reported at the check-in (家庭变化).
pub(super) const CHANGES: &[&str] = &[
    "女儿就业，月收入2000元",
    "儿子结婚迁出",
    "家庭成员去世一人",
    "新增子女一人",
    "配偶领取养老金每月1800元",
    "购买机动车一辆",
];

/// Valid excuses for not coming to the check-in (请假原因).
pub(super) const EXCUSES: &[&str] = &[
    "住院治疗",
    "外地就医",
    "陪护住院家属",
    "参加技能培训",
    "外出务工已报备",
];

/// Check-in handlers (经办人).
pub(super) const HANDLERS: &[&str] = &["王丽", "张敏", "李娜", "刘洋", "陈静", "赵磊"];
