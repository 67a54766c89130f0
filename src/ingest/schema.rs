//! The three input kinds, their fields, and the headers each field is
//! recognised by (SPEC §2.1–2.3).
//!
//! Invariant: within one kind no header key belongs to two fields, so a
//! header matches at most one field (a unit test checks this).

use super::normalize::header_key;

/// What an input file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Roster,
    Bank,
    Checkins,
    /// Adjustments to this month's payroll (补发/扣发).
    Adjustments,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Roster, Kind::Bank, Kind::Checkins, Kind::Adjustments];

    pub fn name(self, lang: crate::issue::Lang) -> &'static str {
        match self {
            Kind::Roster => lang.pick("花名册", "roster"),
            Kind::Bank => lang.pick("银行回盘", "bank result"),
            Kind::Checkins => lang.pick("签到表", "check-ins"),
            Kind::Adjustments => lang.pick("调整表", "adjustments"),
        }
    }

    pub fn schema(self) -> &'static [FieldSpec] {
        match self {
            Kind::Roster => ROSTER,
            Kind::Bank => BANK,
            Kind::Checkins => CHECKINS,
            Kind::Adjustments => ADJUSTMENTS,
        }
    }

    /// Groups of fields of which the header must hold at least one each.
    pub fn required(self) -> &'static [&'static [Field]] {
        use Field::*;
        match self {
            Kind::Roster => &[&[HouseholdId], &[Name], &[IdNumber], &[Members], &[Account]],
            Kind::Bank => &[&[Account], &[AccountName], &[Amount]],
            Kind::Checkins => &[&[HouseholdId, IdNumber], &[Date, Excuse]],
            Kind::Adjustments => &[&[HouseholdId], &[Amount]],
        }
    }
}

/// Every field of every kind. A column map is indexed by `Field as usize`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    HouseholdId,
    Name,
    IdNumber,
    Members,
    Account,
    Bank,
    AccountName,
    Community,
    Street,
    Class,
    Tags,
    ApprovedAmount,
    Status,
    StartMonth,
    EndMonth,
    HomeVisit,
    Amount,
    Reason,
    Reference,
    Date,
    TxnId,
    Month,
    Method,
    ReportedAmount,
    Changes,
    Excuse,
    Handler,
}

pub const FIELD_COUNT: usize = Field::Handler as usize + 1;

/// A field of a kind: its canonical (English) name and Chinese headers.
#[derive(Debug)]
pub struct FieldSpec {
    pub field: Field,
    pub canonical: &'static str,
    pub aliases: &'static [&'static str],
}

impl FieldSpec {
    /// How a missing field is named to a user: `身份证号 (id_number)`.
    pub fn display(&self) -> String {
        match self.aliases.first() {
            Some(zh) => format!("{zh} ({})", self.canonical),
            None => self.canonical.to_string(),
        }
    }

    /// True when the header key names this field (canonical or alias).
    pub fn matches(&self, key: &str) -> bool {
        key == self.canonical
            || key.replace('_', "") == self.canonical.replace('_', "")
            || self.aliases.iter().any(|a| header_key(a) == key)
    }
}

const fn f(field: Field, canonical: &'static str, aliases: &'static [&'static str]) -> FieldSpec {
    FieldSpec {
        field,
        canonical,
        aliases,
    }
}

const HOUSEHOLD_ID: &[&str] = &["低保证号", "证号", "低保证编号", "救助证号"];
const ID_NUMBER: &[&str] = &[
    "身份证号",
    "身份证号码",
    "公民身份号码",
    "证件号码",
    "身份证",
    "户主身份证号",
    "户主身份证号码",
];

static ROSTER: &[FieldSpec] = &[
    f(Field::HouseholdId, "household_id", HOUSEHOLD_ID),
    f(Field::Name, "name", &["户主姓名", "姓名", "户主"]),
    f(Field::IdNumber, "id_number", ID_NUMBER),
    f(
        Field::Members,
        "members",
        &["保障人数", "享受人数", "人数", "保障人口"],
    ),
    f(
        Field::Account,
        "account",
        &[
            "银行账号",
            "账号",
            "帐号",
            "卡号",
            "银行卡号",
            "存折号",
            "一卡通账号",
            "一卡通号",
        ],
    ),
    f(Field::Bank, "bank", &["开户银行", "开户行", "银行"]),
    f(
        Field::AccountName,
        "account_name",
        &["账户名称", "户名", "开户名"],
    ),
    f(Field::Community, "community", &["社区", "居委会", "属地"]),
    f(Field::Street, "street", &["街道", "乡镇"]),
    f(Field::Class, "class", &["类别", "管理类别"]),
    f(Field::Tags, "tags", &["分类施保", "施保类别"]),
    f(
        Field::ApprovedAmount,
        "approved_amount",
        &["核定低保金", "核定金额", "保障金"],
    ),
    f(Field::Status, "status", &["状态", "保障状态"]),
    f(
        Field::StartMonth,
        "start_month",
        &["起保年月", "享受起始年月"],
    ),
    f(Field::EndMonth, "end_month", &["停保年月", "终止年月"]),
    f(Field::HomeVisit, "home_visit", &["上门服务", "上门"]),
];

static BANK: &[FieldSpec] = &[
    f(
        Field::Account,
        "account",
        &[
            "账号",
            "帐号",
            "卡号",
            "收款账号",
            "银行账号",
            "收款人账号",
            "收款账户",
            "收方账号",
            "收款方账号",
            "对方账号",
            "银行卡号",
        ],
    ),
    f(
        Field::AccountName,
        "account_name",
        &[
            "户名",
            "姓名",
            "收款人",
            "收款人姓名",
            "账户名称",
            "收款人名称",
            "收款户名",
            "收款单位名称",
            "收款方名称",
            "收款方户名",
            "收方户名",
            "对方户名",
        ],
    ),
    f(
        Field::Amount,
        "amount",
        &[
            "金额",
            "交易金额",
            "实发金额",
            "实处理金额",
            "发放金额",
            "代发金额",
            "实付金额",
        ],
    ),
    f(
        Field::Status,
        "status",
        &[
            "状态",
            "处理结果",
            "处理标志",
            "交易状态",
            "结果",
            "交易结果",
            "处理状态",
            "网上银行状态",
            "银行处理状态",
            "入账状态",
            "付款状态",
            "支付状态",
            "代发状态",
            "执行状态",
            "回盘状态",
            "处理情况",
            "入账结果",
            "代发结果",
            "付款结果",
        ],
    ),
    f(
        Field::Reason,
        "reason",
        &[
            "失败原因",
            "原因",
            "返回信息",
            "银行反馈信息",
            "反馈信息",
            "错误信息",
            "错误原因",
            "失败信息",
            "返回原因",
            "处理说明",
        ],
    ),
    f(
        Field::Reference,
        "reference",
        &["备注", "附言", "摘要", "用途"],
    ),
    f(Field::IdNumber, "id_number", ID_NUMBER),
    f(
        Field::Date,
        "date",
        &["交易日期", "入账日期", "日期", "交易时间", "入账时间"],
    ),
    f(Field::TxnId, "txn_id", &["流水号", "交易流水号"]),
];

static ADJUSTMENTS: &[FieldSpec] = &[
    f(Field::HouseholdId, "household_id", HOUSEHOLD_ID),
    f(
        Field::Amount,
        "amount",
        &["金额", "调整金额", "补发金额", "扣发金额"],
    ),
    f(
        Field::Reason,
        "reason",
        &["原因", "调整原因", "说明", "备注"],
    ),
];

static CHECKINS: &[FieldSpec] = &[
    f(Field::HouseholdId, "household_id", HOUSEHOLD_ID),
    f(Field::IdNumber, "id_number", ID_NUMBER),
    f(
        Field::Date,
        "date",
        &[
            "签到日期",
            "盖章日期",
            "到站日期",
            "日期",
            "签到时间",
            "盖章时间",
        ],
    ),
    f(Field::Month, "month", &["所属年月", "年月"]),
    f(Field::Method, "method", &["方式", "签到方式"]),
    f(
        Field::ReportedAmount,
        "reported_amount",
        &["领取金额", "当月领取金额", "本月领取金额"],
    ),
    f(
        Field::Changes,
        "changes",
        &["家庭变化", "变化情况", "收入变化"],
    ),
    f(Field::Excuse, "excuse", &["请假原因", "未签到原因", "说明"]),
    f(Field::Handler, "handler", &["经办人"]),
];

/// The spec of `field` in `kind`, if the kind has that field.
pub fn spec(kind: Kind, field: Field) -> Option<&'static FieldSpec> {
    kind.schema().iter().find(|s| s.field == field)
}

/// Looks a field up by its canonical name (as a mapping file writes it).
pub fn field_by_name(kind: Kind, name: &str) -> Option<Field> {
    kind.schema()
        .iter()
        .find(|s| s.canonical == name)
        .map(|s| s.field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_header_names_two_fields_of_one_kind() {
        for kind in Kind::ALL {
            for a in kind.schema() {
                for alias in a.aliases.iter().copied().chain([a.canonical]) {
                    let key = header_key(alias);
                    let hits: Vec<_> = kind
                        .schema()
                        .iter()
                        .filter(|s| s.matches(&key))
                        .map(|s| s.canonical)
                        .collect();
                    assert_eq!(hits, vec![a.canonical], "{kind:?} {alias}");
                }
            }
        }
    }

    #[test]
    fn english_headers_match_case_insensitively() {
        let amount = spec(Kind::Bank, Field::Amount).unwrap();
        assert!(amount.matches(&header_key("Amount")));
        assert!(amount.matches(&header_key("金 额(元)")));
        let hid = spec(Kind::Roster, Field::HouseholdId).unwrap();
        assert!(hid.matches(&header_key("Household_ID")));
    }
}
