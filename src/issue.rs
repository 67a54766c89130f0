//! Data problems as values: where ([`SourceRef`]), how bad ([`Severity`]),
//! what ([`Problem`], a catalogue with a stable code, a message and a hint in
//! Chinese and English).
//!
//! Invariant: a problem found in an input row is never an early return; it is
//! an [`Issue`] handed to whoever collects them, and the row is still counted.

use std::fmt;
use std::sync::Arc;

use crate::ingest::profile::AmountUnit;
pub use crate::sanitize::BadChar;

/// Language of messages, workbook headers and sheet names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Picks the text for this language.
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// How bad a problem is. Errors stop a run (exit 1); warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn word(self, lang: Lang) -> &'static str {
        match self {
            Severity::Warning => lang.pick("警告", "warning"),
            Severity::Error => lang.pick("错误", "error"),
        }
    }
}

/// Where a value came from: file, sheet, the row number the user sees
/// (Excel's row, or the text file's line), column, and the column's header.
///
/// Prints as `bank.xlsx[回盘]!C14 (金额)`; parts that are unknown are left out
/// (`empty.csv`, `roster.csv!7`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceRef {
    pub file: Arc<str>,
    pub sheet: Option<Arc<str>>,
    /// 1-based row or line number, as the user sees it.
    pub row: Option<u32>,
    /// 0-based column index (A = 0).
    pub col: Option<u32>,
    pub header: Option<Arc<str>>,
}

impl SourceRef {
    pub fn file(file: Arc<str>) -> SourceRef {
        SourceRef {
            file,
            sheet: None,
            row: None,
            col: None,
            header: None,
        }
    }

    /// The same place without the column: the whole row.
    pub fn row_only(&self) -> SourceRef {
        SourceRef {
            col: None,
            header: None,
            ..self.clone()
        }
    }

    /// `FILE[SHEET]!ROW`: how a ledger names a source row.
    pub fn row_label(&self) -> String {
        let mut s = self.file_label();
        if let Some(row) = self.row {
            s.push('!');
            s.push_str(&row.to_string());
        }
        s
    }

    /// `FILE[SHEET]`.
    pub fn file_label(&self) -> String {
        match &self.sheet {
            Some(sheet) => format!("{}[{}]", self.file, sheet),
            None => self.file.to_string(),
        }
    }
}

/// Excel's column letters for a 0-based index: 0 → `A`, 27 → `AB`.
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, "[{sheet}]")?;
        }
        match (self.col, self.row) {
            (Some(col), Some(row)) => write!(f, "!{}{row}", column_letters(col))?,
            (None, Some(row)) => write!(f, "!{row}")?,
            (Some(col), None) => write!(f, "!{}", column_letters(col))?,
            (None, None) => {}
        }
        if let Some(header) = &self.header {
            write!(f, " ({header})")?;
        }
        Ok(())
    }
}

/// One problem found in the input.
#[derive(Clone, Debug, PartialEq)]
pub struct Issue {
    pub at: SourceRef,
    pub severity: Severity,
    pub problem: Problem,
}

impl Issue {
    /// An issue with the problem's usual severity.
    pub fn new(at: SourceRef, problem: Problem) -> Issue {
        Issue {
            severity: problem.severity(),
            at,
            problem,
        }
    }

    /// The same issue as a warning: for a value that is only informative in
    /// this kind of file (an ID in a bank file, say).
    pub fn downgraded(mut self) -> Issue {
        self.severity = Severity::Warning;
        self
    }

    pub fn code(&self) -> &'static str {
        self.problem.code()
    }

    /// `FILE[SHEET]!C14 (header): 错误[CODE] message — hint`.
    ///
    /// Characters that could move or recolour a terminal (a value's ESC,
    /// BEL, bidirectional overrides; a file name's) are shown as `\u{1b}`.
    pub fn render(&self, lang: Lang) -> String {
        let line = format!(
            "{}: {}[{}] {} — {}",
            self.at,
            self.severity.word(lang),
            self.code(),
            self.problem.message(lang),
            self.problem.hint(lang)
        );
        match crate::sanitize::escaped(&line) {
            std::borrow::Cow::Borrowed(_) => line,
            std::borrow::Cow::Owned(safe) => safe,
        }
    }
}

/// Which numeric column a totals row disagrees on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TotalKind {
    /// A number in a numeric column versus the column's sum.
    Sum,
    /// `N户` / `N笔` versus the number of data rows.
    Count,
    /// `N人` versus the sum of members.
    Persons,
}

/// What names the unit of an amount column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnitSource {
    /// The column's header, as written (`交易金额(分)`).
    Header(String),
    /// A title row above the header, as written (`单位：分`).
    Title(String),
    /// The mapping profile's `amount_unit`.
    Profile,
}

impl UnitSource {
    fn describe(&self, lang: Lang) -> String {
        match self {
            UnitSource::Header(h) => format!("{}{}", lang.pick("表头", "the header "), q(lang, h)),
            UnitSource::Title(t) => {
                format!("{}{}", lang.pick("标题行", "the title row "), q(lang, t))
            }
            UnitSource::Profile => lang
                .pick("映射文件的 amount_unit ", "the mapping file's amount_unit")
                .to_string(),
        }
    }
}

/// The longest text a field takes, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextLimit {
    /// A person's name or a bank account's 户名: 60 characters (banks' 代发
    /// files take 30 to 60; no real name comes near).
    Name,
    /// A bank's name (开户银行): 100 characters.
    Bank,
    /// A community or street: 100 characters.
    Place,
    /// Any text: an Excel cell holds at most 32,767 characters.
    Cell,
}

impl TextLimit {
    pub fn max(self) -> usize {
        match self {
            TextLimit::Name => 60,
            TextLimit::Bank | TextLimit::Place => 100,
            TextLimit::Cell => 32_767,
        }
    }
}

fn unit_name(unit: AmountUnit, lang: Lang) -> &'static str {
    match unit {
        AmountUnit::Yuan => lang.pick("元", "yuan"),
        AmountUnit::Fen => lang.pick("分", "fen"),
    }
}

/// The catalogue of data problems. Each has a stable code (used in tests,
/// manifests and by users searching the README), a default severity, and a
/// message and hint in both languages. Values are quoted as the file has them.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    // --- files -----------------------------------------------------------
    FileEmpty,
    FileUnreadable {
        format: &'static str,
        detail: String,
    },
    NotSpreadsheet {
        looks_like: &'static str,
    },
    /// A member of a workbook's zip archive whose data does not match the
    /// checksum stored with it: the file was damaged after it was written.
    ZipChecksum {
        format: &'static str,
        member: String,
    },
    /// Some byte sequences are not valid in the file's encoding.
    EncodingDamaged {
        encoding: &'static str,
        count: usize,
    },
    /// A cell holding such a sequence (shown as U+FFFD).
    BadBytes {
        value: String,
    },
    /// A line of a text file in another encoding than the rest of the file.
    EncodingMixed {
        line_encoding: &'static str,
        file_encoding: &'static str,
    },
    /// A value holding a character no value may hold (see
    /// [`crate::sanitize::bad_char`]); `value` is shown escaped.
    BadCharacter {
        value: String,
        ch: char,
        kind: BadChar,
    },
    /// A value longer than its field takes; `value` is its beginning.
    TextTooLong {
        value: String,
        length: usize,
        limit: TextLimit,
    },
    SheetEmpty,
    NoHeader {
        kind: &'static str,
        missing: Vec<String>,
        best_row: Option<u32>,
    },
    KindUnknown,
    /// The file fits two or more of dibao's built-in bank layouts: which
    /// one reads it is not guessed. `names`: the layouts, joined by 、.
    LayoutAmbiguous {
        names: String,
    },
    /// No header found, and the first line looks like data (an account
    /// number): a headerless file of a layout dibao does not know.
    NoHeaderRow {
        first: String,
    },
    /// A profile's summary line holds neither a count nor a total.
    SummaryUnreadable {
        text: String,
    },
    /// A profile's widths cut a character of the line in two: the widths
    /// do not fit the file, so none of the row's values can be trusted.
    WidthCutsCharacter,
    /// The default (first) sheet has no header, another one does.
    HeaderOnOtherSheet {
        sheet: String,
        kind: &'static str,
    },
    DuplicateColumn {
        field: &'static str,
        used: String,
        ignored: String,
    },
    NoDataRows,
    SkippedRow {
        text: String,
    },
    /// A quoted text cell runs over lines that hold the delimiter: a quote
    /// was never closed and swallowed the rows up to line `to`.
    UnclosedQuote {
        to: u32,
    },
    // --- values ----------------------------------------------------------
    /// `name`: the field's Chinese header; `canonical`: its English name.
    MissingValue {
        name: &'static str,
        canonical: &'static str,
    },
    IdScientific {
        value: String,
    },
    IdDigitsLost {
        value: String,
    },
    IdShape {
        value: String,
    },
    IdBirthDate {
        value: String,
    },
    IdCheckChar {
        value: String,
    },
    IdUpgraded {
        from: String,
        to: String,
    },
    AccountScientific {
        value: String,
    },
    AccountDigitsLost {
        value: String,
    },
    AccountNotDigits {
        value: String,
    },
    AccountTooShort {
        value: String,
    },
    AccountLuhn {
        value: String,
    },
    AccountTailZeros {
        value: String,
    },
    NumberLostDigits {
        value: String,
    },
    MembersInvalid {
        value: String,
    },
    AmountInvalid {
        value: String,
    },
    AmountNegative {
        value: String,
    },
    AmountPrecision {
        value: String,
    },
    AmountFenFraction {
        value: String,
    },
    AmountComma {
        value: String,
    },
    AmountTooLarge {
        value: String,
    },
    /// Spaces between the digits of an amount (`620 00`).
    AmountSpace {
        value: String,
    },
    /// A cell names a unit (`62000分`) other than the one its column is in.
    AmountUnitConflict {
        value: String,
        unit: AmountUnit,
        column: AmountUnit,
        by: UnitSource,
    },
    /// Two things name different units for one column (at the header or
    /// title cell): none of the column's amounts can be read.
    UnitConflict {
        unit: AmountUnit,
        by: UnitSource,
        other: AmountUnit,
        other_by: UnitSource,
    },
    /// A header or title names a unit of money that is neither yuan nor fen.
    UnitUnknown {
        unit: String,
    },
    /// An amount in a column whose unit is unknown (see the header's problem).
    AmountUnitUnknown {
        value: String,
    },
    /// An amount above the policy's bound for one household's month.
    AmountAboveLimit {
        value: String,
        limit: String,
    },
    StatusUnknown {
        value: String,
    },
    BankStatusUnknown {
        value: String,
    },
    BankStatusEmpty,
    /// A bank file with no recognised status column and no declared
    /// outcome: none of its rows can count as paid. `lookalikes`: the
    /// headers that look like a status, joined by 、.
    BankNoStatusColumn {
        lookalikes: String,
    },
    MonthInvalid {
        value: String,
    },
    MonthAmbiguous {
        value: String,
    },
    DateInvalid {
        value: String,
    },
    MonthRange {
        start: String,
        end: String,
    },
    PhaseOutNoEnd,
    FlagInvalid {
        value: String,
    },
    ClassUnknown {
        value: String,
    },
    MethodUnknown {
        value: String,
    },
    CheckinNoKey,
    CheckinNoDate,
    CheckinNoMonth,
    CellError {
        value: String,
    },
    // --- across rows -----------------------------------------------------
    DuplicateHouseholdId {
        value: String,
        first: u32,
    },
    DuplicateIdNumber {
        value: String,
        first: u32,
    },
    DuplicateAccount {
        value: String,
        first: u32,
    },
    // --- payroll ---------------------------------------------------------
    ApprovedAboveStandard {
        amount: String,
        standard: String,
    },
    AdjustmentUnknownHousehold {
        household: String,
    },
    AdjustmentNotPositive {
        household: String,
        total: String,
    },
    NothingToPay {
        total: String,
    },
    /// A due household's total for the month above the policy's bound.
    TotalAboveLimit {
        household: String,
        total: String,
        limit: String,
    },
    AdjustmentNotApplied {
        household: String,
    },
    /// A positive adjustment for a household that is paid a re-issue this
    /// month already (`months`: the months re-issued).
    AdjustmentBesideReissue {
        household: String,
        reissue: String,
        months: String,
    },
    ReissueAlreadyPaid {
        household: String,
        month: String,
        file: String,
    },
    OwedNotDue {
        household: String,
        month: String,
        amount: String,
    },
    /// A payroll.csv found among the earlier payrolls that does not count as
    /// paying anything: a copy outside the workspace's month folders
    /// (`copy`), or one that does not match its manifest.
    PayrollNotCounted {
        copy: bool,
    },
    // --- reconcile -------------------------------------------------------
    /// A stamp for `month` dated after its end plus the grace days.
    CheckinTooLate {
        date: String,
        month: String,
        last: String,
    },
    /// A stamp for `month` dated before the month began.
    CheckinBeforeMonth {
        date: String,
        month: String,
    },
    /// A check-in whose household number and ID match no roster household.
    CheckinUnknownHousehold {
        key: String,
    },
    /// No check-in file holds a record for the month: nobody's check-in can
    /// be judged, so a miss suspends nobody.
    CheckinsNotGiven {
        month: String,
    },
    /// payroll.csv differs from the sha256 its manifest recorded.
    PayrollEdited {
        recorded: String,
        actual: String,
    },
    /// A payroll.csv line for a household the roster does not have.
    PayrollUnknownHousehold {
        household: String,
    },
    /// A value of a due household's bank upload line longer than the
    /// bank's layout takes (`field`: 户名, 备注 — the household number
    /// alone —, or a fixed-width column); a bank would cut it.
    UploadTooLong {
        bank: String,
        household: String,
        field: &'static str,
        value: String,
        bytes: usize,
        limit: usize,
        encoding: &'static str,
    },
    /// A due household's amount above what one line of the bank's upload
    /// takes.
    UploadAmountTooLarge {
        bank: String,
        household: String,
        amount: String,
        limit: String,
    },
    TotalsMismatch {
        what: TotalKind,
        column: String,
        stated: String,
        computed: String,
    },
}

fn q(lang: Lang, v: &str) -> String {
    match lang {
        Lang::Zh => format!("“{v}”"),
        Lang::En => format!("\"{v}\""),
    }
}

impl Problem {
    pub fn code(&self) -> &'static str {
        use Problem::*;
        match self {
            FileEmpty => "FILE_EMPTY",
            FileUnreadable { .. } | ZipChecksum { .. } => "FILE_UNREADABLE",
            NotSpreadsheet { .. } => "NOT_A_SPREADSHEET",
            EncodingDamaged { .. } => "ENCODING_DAMAGED",
            BadBytes { .. } => "BAD_BYTES",
            EncodingMixed { .. } => "ENCODING_MIXED",
            BadCharacter {
                kind: BadChar::Control,
                ..
            } => "CONTROL_CHARACTER",
            BadCharacter {
                kind: BadChar::Invisible,
                ..
            } => "INVISIBLE_CHARACTER",
            BadCharacter {
                kind: BadChar::PrivateUse,
                ..
            } => "PRIVATE_USE_CHARACTER",
            TextTooLong { .. } => "TEXT_TOO_LONG",
            SheetEmpty => "SHEET_EMPTY",
            NoHeader { .. } => "MISSING_COLUMN",
            KindUnknown => "KIND_UNKNOWN",
            LayoutAmbiguous { .. } => "LAYOUT_AMBIGUOUS",
            NoHeaderRow { .. } => "NO_HEADER_ROW",
            SummaryUnreadable { .. } => "SUMMARY_UNREADABLE",
            WidthCutsCharacter => "WIDTH_CUTS_CHARACTER",
            HeaderOnOtherSheet { .. } => "HEADER_ON_OTHER_SHEET",
            DuplicateColumn { .. } => "DUPLICATE_COLUMN",
            NoDataRows => "NO_DATA_ROWS",
            SkippedRow { .. } => "ROW_SKIPPED",
            UnclosedQuote { .. } => "UNCLOSED_QUOTE",
            MissingValue { .. } => "MISSING_VALUE",
            IdScientific { .. } => "ID_SCIENTIFIC",
            IdDigitsLost { .. } => "ID_DIGITS_LOST",
            IdShape { .. } => "ID_SHAPE",
            IdBirthDate { .. } => "ID_BIRTH_DATE",
            IdCheckChar { .. } => "ID_CHECK_CHAR",
            IdUpgraded { .. } => "ID_UPGRADED",
            AccountScientific { .. } => "ACCOUNT_SCIENTIFIC",
            AccountDigitsLost { .. } => "ACCOUNT_DIGITS_LOST",
            AccountNotDigits { .. } => "ACCOUNT_NOT_DIGITS",
            AccountTooShort { .. } => "ACCOUNT_TOO_SHORT",
            AccountLuhn { .. } => "ACCOUNT_LUHN",
            AccountTailZeros { .. } => "ACCOUNT_TAIL_ZEROS",
            NumberLostDigits { .. } => "NUMBER_DIGITS_LOST",
            MembersInvalid { .. } => "MEMBERS_INVALID",
            AmountInvalid { .. } => "AMOUNT_INVALID",
            AmountNegative { .. } => "AMOUNT_NEGATIVE",
            AmountPrecision { .. } => "AMOUNT_PRECISION",
            AmountFenFraction { .. } => "AMOUNT_FEN_FRACTION",
            AmountComma { .. } => "AMOUNT_COMMA",
            AmountTooLarge { .. } => "AMOUNT_TOO_LARGE",
            AmountSpace { .. } => "AMOUNT_SPACE",
            AmountUnitConflict { .. } => "AMOUNT_UNIT_CONFLICT",
            UnitConflict { .. } => "UNIT_CONFLICT",
            UnitUnknown { .. } => "UNIT_UNKNOWN",
            AmountUnitUnknown { .. } => "AMOUNT_UNIT_UNKNOWN",
            AmountAboveLimit { .. } => "AMOUNT_ABOVE_LIMIT",
            StatusUnknown { .. } => "STATUS_UNKNOWN",
            BankStatusUnknown { .. } => "BANK_STATUS_UNKNOWN",
            BankStatusEmpty => "BANK_STATUS_EMPTY",
            BankNoStatusColumn { .. } => "BANK_NO_STATUS_COLUMN",
            MonthInvalid { .. } => "MONTH_INVALID",
            MonthAmbiguous { .. } => "MONTH_AMBIGUOUS",
            DateInvalid { .. } => "DATE_INVALID",
            MonthRange { .. } => "MONTH_RANGE",
            PhaseOutNoEnd => "PHASE_OUT_NO_END",
            FlagInvalid { .. } => "FLAG_INVALID",
            ClassUnknown { .. } => "CLASS_UNKNOWN",
            MethodUnknown { .. } => "METHOD_UNKNOWN",
            CheckinNoKey => "CHECKIN_NO_KEY",
            CheckinNoDate => "CHECKIN_NO_DATE",
            CheckinNoMonth => "CHECKIN_NO_MONTH",
            CellError { .. } => "CELL_ERROR",
            DuplicateHouseholdId { .. } => "DUPLICATE_HOUSEHOLD_ID",
            DuplicateIdNumber { .. } => "DUPLICATE_ID_NUMBER",
            DuplicateAccount { .. } => "SHARED_ACCOUNT",
            TotalsMismatch { .. } => "TOTALS_MISMATCH",
            ApprovedAboveStandard { .. } => "APPROVED_ABOVE_STANDARD",
            AdjustmentUnknownHousehold { .. } => "ADJUSTMENT_UNKNOWN_HOUSEHOLD",
            AdjustmentNotPositive { .. } => "ADJUSTMENT_NOT_POSITIVE",
            NothingToPay { .. } => "NOTHING_TO_PAY",
            TotalAboveLimit { .. } => "TOTAL_ABOVE_LIMIT",
            AdjustmentNotApplied { .. } => "ADJUSTMENT_NOT_APPLIED",
            ReissueAlreadyPaid { .. } => "REISSUE_ALREADY_PAID",
            OwedNotDue { .. } => "OWED_NOT_DUE",
            AdjustmentBesideReissue { .. } => "ADJUSTMENT_BESIDE_REISSUE",
            PayrollNotCounted { .. } => "PAYROLL_NOT_COUNTED",
            CheckinTooLate { .. } => "CHECKIN_TOO_LATE",
            CheckinBeforeMonth { .. } => "CHECKIN_BEFORE_MONTH",
            CheckinUnknownHousehold { .. } => "CHECKIN_UNKNOWN_HOUSEHOLD",
            CheckinsNotGiven { .. } => "CHECKINS_NOT_GIVEN",
            PayrollEdited { .. } => "PAYROLL_EDITED",
            PayrollUnknownHousehold { .. } => "PAYROLL_UNKNOWN_HOUSEHOLD",
            UploadTooLong { .. } => "UPLOAD_TOO_LONG",
            UploadAmountTooLarge { .. } => "UPLOAD_AMOUNT_TOO_LARGE",
        }
    }

    pub fn severity(&self) -> Severity {
        use Problem::*;
        match self {
            DuplicateColumn { .. }
            | ApprovedAboveStandard { .. }
            | AdjustmentNotApplied { .. }
            | ReissueAlreadyPaid { .. }
            | OwedNotDue { .. }
            | AdjustmentBesideReissue { .. }
            | PayrollNotCounted { .. }
            | CheckinTooLate { .. }
            | CheckinBeforeMonth { .. }
            | CheckinUnknownHousehold { .. }
            | CheckinsNotGiven { .. }
            | PayrollUnknownHousehold { .. }
            | HeaderOnOtherSheet { .. }
            | EncodingDamaged { .. }
            | NoDataRows
            | SkippedRow { .. }
            | IdUpgraded { .. }
            | AccountLuhn { .. }
            | AccountTailZeros { .. }
            | PhaseOutNoEnd
            | ClassUnknown { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        use Problem::*;
        let zh = lang == Lang::Zh;
        match self {
            FileEmpty => lang.pick("文件是空的", "the file is empty").into(),
            FileUnreadable { format, detail } => {
                if zh {
                    format!("无法按 {format} 格式读取：{detail}")
                } else {
                    format!("cannot be read as {format}: {detail}")
                }
            }
            ZipChecksum { format, member } => {
                if zh {
                    format!("无法按 {format} 格式读取：文件已损坏，压缩包成员 {} 的内容与其校验和（CRC）不符", q(lang, member))
                } else {
                    format!("cannot be read as {format}: damaged, checksum mismatch in member {}", q(lang, member))
                }
            }
            NotSpreadsheet { looks_like } => {
                if zh {
                    format!("这不是表格文件，看起来是 {looks_like}")
                } else {
                    format!("this is not a spreadsheet; it looks like {looks_like}")
                }
            }
            EncodingDamaged { encoding, count } => {
                if zh {
                    format!("按 {encoding} 读取，有 {count} 处字节无法解码（下面逐格列出）")
                } else {
                    format!("read as {encoding}; {count} byte sequences cannot be decoded (listed cell by cell below)")
                }
            }
            BadBytes { value } => {
                if zh {
                    format!("{} 含有无法解码的字节（显示为 �）", q(lang, value))
                } else {
                    format!("{} holds bytes that cannot be decoded (shown as �)", q(lang, value))
                }
            }
            EncodingMixed {
                line_encoding,
                file_encoding,
            } => {
                if zh {
                    format!("此行是 {line_encoding} 编码，而文件其余部分是 {file_encoding}：此行不作为有效数据")
                } else {
                    format!("this line is {line_encoding} while the file is {file_encoding}; the row is not used")
                }
            }
            BadCharacter { value, ch, kind } => {
                let code = format!("U+{:04X}", u32::from(*ch));
                match (zh, kind) {
                    (true, BadChar::Control) => format!("{} 含有控制字符 {code}（看不见，会破坏银行文件和屏幕显示）", q(lang, value)),
                    (true, BadChar::Invisible) => format!("{} 含有不可见的格式字符 {code}（会改变文字的显示顺序或藏起差别）", q(lang, value)),
                    (true, BadChar::PrivateUse) => format!("{} 含有私用区字符 {code}（多为造字程序造的生僻字，别的电脑和银行系统无法显示）", q(lang, value)),
                    (false, BadChar::Control) => format!("{} holds the control character {code}, which cannot be seen and breaks bank files and terminals", q(lang, value)),
                    (false, BadChar::Invisible) => format!("{} holds the invisible formatting character {code}, which reorders text or hides a difference", q(lang, value)),
                    (false, BadChar::PrivateUse) => format!("{} holds the private-use character {code} (usually a rare character made with a font tool), which other computers and the bank cannot show", q(lang, value)),
                }
            }
            TextTooLong {
                value,
                length,
                limit,
            } => {
                let max = limit.max();
                let what = match (zh, limit) {
                    (true, TextLimit::Name) => "姓名、户名",
                    (true, TextLimit::Bank) => "开户银行名称",
                    (true, TextLimit::Place) => "社区、街道名称",
                    (true, TextLimit::Cell) => "Excel 单元格",
                    (false, TextLimit::Name) => "a name or account name",
                    (false, TextLimit::Bank) => "a bank's name",
                    (false, TextLimit::Place) => "a community or street",
                    (false, TextLimit::Cell) => "an Excel cell",
                };
                if zh {
                    format!("{} 长 {length} 个字符，{what}最多 {max} 个", q(lang, value))
                } else {
                    format!("{} is {length} characters long; {what} takes at most {max}", q(lang, value))
                }
            }
            SheetEmpty => lang.pick("工作表是空的", "the sheet is empty").into(),
            NoHeader {
                kind,
                missing,
                best_row,
            } => {
                let list = missing.join(lang.pick("、", ", "));
                match (zh, best_row) {
                    (true, Some(r)) => format!("找不到{kind}的表头：最接近的是第 {r} 行，缺少列 {list}"),
                    (true, None) => format!("找不到{kind}的表头：缺少列 {list}"),
                    (false, Some(r)) => format!("no {kind} header found: row {r} comes closest but lacks the column(s) {list}"),
                    (false, None) => format!("no {kind} header found: missing column(s) {list}"),
                }
            }
            KindUnknown => lang
                .pick(
                    "认不出这是花名册、银行回盘还是签到表：没有一行含有任一种文件的全部必需列",
                    "cannot tell whether this is a roster, a bank result or a check-in file: no row holds all required headers of any of them",
                )
                .into(),
            LayoutAmbiguous { names } => {
                if zh {
                    format!("文件同时符合多种内置银行格式（{names}）：不猜测按哪一种读取，文件未读")
                } else {
                    format!("the file fits more than one built-in bank layout ({names}): dibao does not guess which one reads it, so the file was not read")
                }
            }
            NoHeaderRow { first } => {
                if zh {
                    format!("文件似乎没有表头：第一行就是数据（{}），也不符合任何内置银行格式", q(lang, first))
                } else {
                    format!("the file seems to have no header: its first line is already data ({}), and it fits none of the built-in bank layouts", q(lang, first))
                }
            }
            SummaryUnreadable { text } => {
                if zh {
                    format!("映射写明此行是汇总行，但读不出笔数或总金额：{}", q(lang, text))
                } else {
                    format!("the profile says this line is the summary, but it holds no count or total: {}", q(lang, text))
                }
            }
            WidthCutsCharacter => lang
                .pick(
                    "按 widths 切列时，列边界落在一个汉字中间：列宽与文件不符，此行无法读取",
                    "the profile's widths cut a character of this line in two: they do not fit the file, so the row cannot be read",
                )
                .into(),
            HeaderOnOtherSheet { sheet, kind } => {
                if zh {
                    format!("工作表 {} 有{kind}的表头", q(lang, sheet))
                } else {
                    format!("the sheet {} has a {kind} header", q(lang, sheet))
                }
            }
            DuplicateColumn {
                field,
                used,
                ignored,
            } => {
                if zh {
                    format!("列 {} 和 {} 都对应字段 {field}，使用左边的 {}", q(lang, used), q(lang, ignored), q(lang, used))
                } else {
                    format!("columns {} and {} both match the field {field}; the leftmost, {}, is used", q(lang, used), q(lang, ignored), q(lang, used))
                }
            }
            NoDataRows => lang.pick("表头下面没有数据行", "no data rows below the header").into(),
            SkippedRow { text } => {
                if zh {
                    format!("此行没有任何必填列的值，未作为数据读取：{}", q(lang, text))
                } else {
                    format!("this row has no value in any required column and was not read as data: {}", q(lang, text))
                }
            }
            UnclosedQuote { to } => {
                if zh {
                    format!("此行的引号没有配对，到第 {to} 行为止的内容都被读成了一个单元格，其中的行没有作为数据读取")
                } else {
                    format!("a quote on this line is never closed: everything up to line {to} was read as one cell, and the rows in it were not read")
                }
            }
            MissingValue { name, canonical } => {
                if zh {
                    format!("必填项 {name} 为空")
                } else {
                    format!("the required field {canonical} is empty")
                }
            }
            IdScientific { value } | AccountScientific { value } => {
                if zh {
                    format!("{} 是科学计数法：Excel 把它当成了数字，后几位已经丢失", q(lang, value))
                } else {
                    format!("{} is in scientific notation: Excel turned it into a number and its last digits are lost", q(lang, value))
                }
            }
            IdDigitsLost { value } | AccountDigitsLost { value } | NumberLostDigits { value } => {
                if zh {
                    format!("{} 的末几位被 Excel 变成了 0（Excel 数字只保留 15 位有效数字）", q(lang, value))
                } else {
                    format!("{} has its last digits zeroed by Excel (a number keeps only 15 significant digits)", q(lang, value))
                }
            }
            IdShape { value } => {
                if zh {
                    format!("身份证号 {} 应为 18 位（17 位数字加数字或 X）或 15 位数字", q(lang, value))
                } else {
                    format!("ID number {} must be 18 characters (17 digits and a digit or X) or 15 digits", q(lang, value))
                }
            }
            IdBirthDate { value } => {
                if zh {
                    format!("身份证号 {} 中的出生日期不是有效日期", q(lang, value))
                } else {
                    format!("ID number {} has no valid birth date", q(lang, value))
                }
            }
            IdCheckChar { value } => {
                if zh {
                    format!("身份证号 {} 校验位不符（GB 11643），号码中有录错的位", q(lang, value))
                } else {
                    format!("ID number {} fails the GB 11643 check character: a digit is wrong", q(lang, value))
                }
            }
            IdUpgraded { from, to } => {
                if zh {
                    format!("15 位身份证号 {} 已升为 18 位 {}", q(lang, from), q(lang, to))
                } else {
                    format!("the 15-digit ID number {} was upgraded to {}", q(lang, from), q(lang, to))
                }
            }
            AccountNotDigits { value } => {
                if zh {
                    format!("账号 {} 含有数字以外的字符", q(lang, value))
                } else {
                    format!("account {} contains characters other than digits", q(lang, value))
                }
            }
            AccountTooShort { value } => {
                if zh {
                    format!("账号 {} 太短", q(lang, value))
                } else {
                    format!("account {} is too short", q(lang, value))
                }
            }
            AccountLuhn { value } => {
                if zh {
                    format!("账号 {} 未通过 Luhn 校验（部分存折和银联卡号本就如此）", q(lang, value))
                } else {
                    format!("account {} fails the Luhn check (some passbook and UnionPay numbers do)", q(lang, value))
                }
            }
            AccountTailZeros { value } => {
                if zh {
                    format!("账号 {} 第 16 位起全是 0，可能被 Excel 截断过", q(lang, value))
                } else {
                    format!("account {} is all zeros from the 16th digit on; Excel may have cut it", q(lang, value))
                }
            }
            MembersInvalid { value } => {
                if zh {
                    format!("保障人数 {} 不是大于等于 1 的整数", q(lang, value))
                } else {
                    format!("members {} is not a whole number of at least 1", q(lang, value))
                }
            }
            AmountInvalid { value } => {
                if zh {
                    format!("金额 {} 不是数字", q(lang, value))
                } else {
                    format!("amount {} is not a number", q(lang, value))
                }
            }
            AmountNegative { value } => {
                if zh {
                    format!("金额 {} 是负数", q(lang, value))
                } else {
                    format!("amount {} is negative", q(lang, value))
                }
            }
            AmountPrecision { value } => {
                if zh {
                    format!("金额 {} 小数超过两位（不足一分）", q(lang, value))
                } else {
                    format!("amount {} has more than two decimals (a fraction of a fen)", q(lang, value))
                }
            }
            AmountFenFraction { value } => {
                if zh {
                    format!("金额 {} 的单位是分，不应有小数", q(lang, value))
                } else {
                    format!("amount {} is in fen and cannot have decimals", q(lang, value))
                }
            }
            AmountComma { value } => {
                if zh {
                    format!("金额 {} 中的逗号不是千位分隔符", q(lang, value))
                } else {
                    format!("the comma in amount {} does not separate thousands", q(lang, value))
                }
            }
            AmountTooLarge { value } => {
                if zh {
                    format!("金额 {} 大得不可能是一笔发放", q(lang, value))
                } else {
                    format!("amount {} is too large to be a payment", q(lang, value))
                }
            }
            AmountSpace { value } => {
                if zh {
                    format!("金额 {} 的数字中间有空格，无法确定是哪个数", q(lang, value))
                } else {
                    format!("amount {} has a space between its digits: which number it is cannot be told", q(lang, value))
                }
            }
            AmountUnitConflict { value, unit, column, by } => {
                if zh {
                    format!("金额 {} 以{}计，而{}写明以{}计", q(lang, value), unit_name(*unit, lang), by.describe(lang), unit_name(*column, lang))
                } else {
                    format!("amount {} is in {}, but {} says {}", q(lang, value), unit_name(*unit, lang), by.describe(lang), unit_name(*column, lang))
                }
            }
            UnitConflict { unit, by, other, other_by } => {
                if zh {
                    format!("{}写明单位为{}，而{}为{}：此列金额的单位无法确定，各行金额均不读取", by.describe(lang), unit_name(*unit, lang), other_by.describe(lang), unit_name(*other, lang))
                } else {
                    format!("{} says {}, but {} says {}: the column's unit is unknown and none of its amounts is read", by.describe(lang), unit_name(*unit, lang), other_by.describe(lang), unit_name(*other, lang))
                }
            }
            UnitUnknown { unit } => {
                if zh {
                    format!("单位 {} 既不是元也不是分：此列金额均不读取", q(lang, unit))
                } else {
                    format!("the unit {} is neither yuan nor fen: none of the column's amounts is read", q(lang, unit))
                }
            }
            AmountUnitUnknown { value } => {
                if zh {
                    format!("此列金额的单位无法确定（见表头处的错误），{} 未读取", q(lang, value))
                } else {
                    format!("the column's unit is unknown (see the problem at its header); {} is not read", q(lang, value))
                }
            }
            AmountAboveLimit { value, limit } => {
                if zh {
                    format!("金额 {} 超过一户一个月发放合计的上限 {limit}", q(lang, value))
                } else {
                    format!("amount {} is above {limit}, the most one household is paid in a month", q(lang, value))
                }
            }
            StatusUnknown { value } => {
                if zh {
                    format!("保障状态 {} 无法识别", q(lang, value))
                } else {
                    format!("status {} is not recognised", q(lang, value))
                }
            }
            BankStatusUnknown { value } => {
                if zh {
                    format!("处理结果 {} 既不是成功也不是失败，此行无法读取", q(lang, value))
                } else {
                    format!("bank status {} is neither a success nor a failure; the row cannot be read", q(lang, value))
                }
            }
            BankNoStatusColumn { lookalikes } if lookalikes.is_empty() => lang
                .pick(
                    "回盘没有处理结果（状态）列：无法知道哪些付款成功，所有行都不算已发放",
                    "the bank file has no status column: which payments succeeded is unknown, so no row counts as paid",
                )
                .into(),
            BankNoStatusColumn { lookalikes } => {
                if zh {
                    format!("回盘没有可识别的处理结果（状态）列（像状态的列：{lookalikes}）：无法知道哪些付款成功，所有行都不算已发放")
                } else {
                    format!("the bank file has no status column dibao recognises (columns that look like one: {lookalikes}): which payments succeeded is unknown, so no row counts as paid")
                }
            }
            BankStatusEmpty => lang
                .pick(
                    "处理结果为空，无法判断是否到账，此行无法读取",
                    "the bank status is empty, so whether the money arrived is unknown; the row cannot be read",
                )
                .into(),
            MonthInvalid { value } => {
                if zh {
                    format!("{} 不是年月", q(lang, value))
                } else {
                    format!("{} is not a month", q(lang, value))
                }
            }
            MonthAmbiguous { value } => {
                if zh {
                    format!("年月 {} 被 Excel 存成了数字，分不清是 1 月还是 10 月", q(lang, value))
                } else {
                    format!("month {} was stored by Excel as a number: January and October look the same", q(lang, value))
                }
            }
            DateInvalid { value } => {
                if zh {
                    format!("{} 不是日期", q(lang, value))
                } else {
                    format!("{} is not a date", q(lang, value))
                }
            }
            MonthRange { start, end } => {
                if zh {
                    format!("起保年月 {start} 晚于停保年月 {end}")
                } else {
                    format!("start month {start} is after end month {end}")
                }
            }
            PhaseOutNoEnd => lang
                .pick("渐退户没有停保年月，按在保户照常发放", "phasing-out household without an end month is paid like an active one")
                .into(),
            FlagInvalid { value } => {
                if zh {
                    format!("{} 不是 是/否", q(lang, value))
                } else {
                    format!("{} is not yes/no", q(lang, value))
                }
            }
            ClassUnknown { value } => {
                if zh {
                    format!("管理类别 {} 不是 A、B、C", q(lang, value))
                } else {
                    format!("class {} is not A, B or C", q(lang, value))
                }
            }
            MethodUnknown { value } => {
                if zh {
                    format!("签到方式 {} 无法识别", q(lang, value))
                } else {
                    format!("check-in method {} is not recognised", q(lang, value))
                }
            }
            CheckinNoKey => lang
                .pick("既没有低保证号也没有身份证号，无法对应到户", "neither a household number nor an ID number: the record belongs to no one")
                .into(),
            CheckinNoDate => lang
                .pick("既没有签到日期也没有请假原因", "neither a date nor an excuse")
                .into(),
            CheckinNoMonth => lang
                .pick("没有签到日期时必须填写所属年月", "a record without a date needs its month")
                .into(),
            CellError { value } => {
                if zh {
                    format!("单元格是 Excel 错误值 {}", q(lang, value))
                } else {
                    format!("the cell holds the Excel error {}", q(lang, value))
                }
            }
            DuplicateHouseholdId { value, first } => {
                if zh {
                    format!("低保证号 {} 与第 {first} 行重复", q(lang, value))
                } else {
                    format!("household number {} also stands on row {first}", q(lang, value))
                }
            }
            DuplicateIdNumber { value, first } => {
                if zh {
                    format!("身份证号 {} 与第 {first} 行重复（重复享受）", q(lang, value))
                } else {
                    format!("ID number {} also stands on row {first} (double benefit)", q(lang, value))
                }
            }
            DuplicateAccount { value, first } => {
                if zh {
                    format!("账号 {} 与第 {first} 行共用", q(lang, value))
                } else {
                    format!("account {} is shared with row {first}", q(lang, value))
                }
            }
            ApprovedAboveStandard { amount, standard } => {
                if zh {
                    format!("核定低保金 {amount} 高于该户人数的标准 {standard}（可能超标准）")
                } else {
                    format!("the approved amount {amount} is above the standard {standard} for the household's size")
                }
            }
            TotalAboveLimit { household, total, limit } => {
                if zh {
                    format!("{} 本月发放合计 {total} 超过一户一个月的上限 {limit}", q(lang, household))
                } else {
                    format!("{}'s total for the month, {total}, is above {limit}, the most one household is paid in a month", q(lang, household))
                }
            }
            AdjustmentUnknownHousehold { household } => {
                if zh {
                    format!("低保证号 {} 不在花名册中", q(lang, household))
                } else {
                    format!("household {} is not on the roster", q(lang, household))
                }
            }
            AdjustmentNotPositive { household, total } => {
                if zh {
                    format!("调整后 {} 本月发放合计为 {total}，不大于 0", q(lang, household))
                } else {
                    format!("with this adjustment {}'s total for the month is {total}, not above zero", q(lang, household))
                }
            }
            NothingToPay { total } => {
                if zh {
                    format!("该户本月应发放，但按核定金额和政策算得合计为 {total}，不大于 0")
                } else {
                    format!("the household is due this month, but its amount from the roster and the policy comes to {total}, not above zero")
                }
            }
            AdjustmentNotApplied { household } => {
                if zh {
                    format!("{} 本月不发放，此调整未计入", q(lang, household))
                } else {
                    format!("{} is not paid this month; the adjustment was not applied", q(lang, household))
                }
            }
            ReissueAlreadyPaid { household, month, file } => {
                if zh {
                    format!("{} {month} 的补发已在 {file} 中发放，不再重复补发", q(lang, household))
                } else {
                    format!("the re-issue for {} {month} was already paid in {file}; it is not paid again", q(lang, household))
                }
            }
            CheckinTooLate { date, month, last } => if zh {
                format!("{month} 的签到日期 {date} 晚于 {last}（月末加宽限天数），不计为签到")
            } else {
                format!("a stamp for {month} dated {date}, after {last} (the month's end plus the grace days), does not count")
            },
            CheckinBeforeMonth { date, month } => if zh {
                format!("{month} 的签到日期 {date} 早于该月，不计为签到")
            } else {
                format!("a stamp for {month} dated {date}, before the month began, does not count")
            },
            CheckinUnknownHousehold { key } => if zh {
                format!("签到记录 {} 不是花名册中的户，不计为签到", q(lang, key))
            } else {
                format!("check-in for {} matches no roster household and does not count", q(lang, key))
            },
            CheckinsNotGiven { month } => if zh {
                format!("签到文件中没有 {month} 的任何记录：本月签到无法核查，不据此建议停发或复核")
            } else {
                format!("the check-in files hold no record for {month}: check-ins cannot be judged, and no SUSPEND or REVIEW follows from a miss")
            },
            PayrollEdited { recorded, actual } => if zh {
                format!("payroll.csv 的 sha256 为 {actual}，与 manifest.json 记录的 {recorded} 不符：发放表生成后被修改过")
            } else {
                format!("payroll.csv has sha256 {actual}, not the {recorded} its manifest.json recorded: it was edited after it was made")
            },
            UploadTooLong { bank, household, field, value, bytes, limit, encoding } => {
                let alone = *field == "备注";
                if zh {
                    format!(
                        "{household} 的{field} {}{} 为 {bytes} 字节（{encoding}），{bank}的报盘最多 {limit} 字节，银行会截断",
                        q(lang, value),
                        if alone { "（仅低保证号）" } else { "" },
                    )
                } else {
                    format!(
                        "{household}'s {field} {}{} takes {bytes} bytes ({encoding}); the upload for {bank} takes at most {limit}, and the bank would cut it",
                        q(lang, value),
                        if alone { " (the household number alone)" } else { "" },
                    )
                }
            }
            UploadAmountTooLarge { bank, household, amount, limit } => if zh {
                format!("{household} 的金额 {amount} 元超过{bank}报盘单笔上限 {limit} 元")
            } else {
                format!("{household}'s amount {amount} is above the {limit} one line of the upload for {bank} takes")
            },
            PayrollUnknownHousehold { household } => if zh {
                format!("发放表中的 {} 不在花名册中，已忽略", q(lang, household))
            } else {
                format!("the payroll's household {} is not on the roster and is ignored", q(lang, household))
            },
            PayrollNotCounted { copy: true } => lang.pick(
                "这个 payroll.csv 不在本工作区的月份文件夹（out/年-月/payroll/）中，是副本或别处的文件：其中的补发不算已发放",
                "this payroll.csv is not in one of the workspace's month folders (out/YYYY-MM/payroll/): a copy, or another workspace's; the re-issues in it do not count as paid",
            ).into(),
            PayrollNotCounted { copy: false } => lang.pick(
                "这个 payroll.csv 旁没有 manifest.json，或与 manifest.json 记录的不符：其中的补发不算已发放",
                "this payroll.csv has no manifest.json beside it, or is not the file its manifest.json recorded: the re-issues in it do not count as paid",
            ).into(),
            AdjustmentBesideReissue { household, reissue, months } => {
                if zh {
                    format!("{} 本月已自动补发 {months} 的 {reissue} 元，又有一行补发", q(lang, household))
                } else {
                    format!("{} is paid {reissue} re-issued for {months} this month already, and an adjustment adds more", q(lang, household))
                }
            }
            OwedNotDue { household, month, amount } => {
                if zh {
                    format!("{} 本月不发放，{month} 的 {amount} 列为待补发", q(lang, household))
                } else {
                    format!("{} is not paid this month; {amount} owed for {month} is listed as owed", q(lang, household))
                }
            }
            TotalsMismatch {
                what,
                column,
                stated,
                computed,
            } => match (zh, what) {
                (true, TotalKind::Sum) if column.is_empty() => format!("合计行写 {stated}，数据行金额合计为 {computed}"),
                (true, TotalKind::Sum) => format!("合计行的 {column} 为 {stated}，数据行合计为 {computed}"),
                (true, TotalKind::Count) => format!("合计行写 {stated}，实际数据行为 {computed} 行"),
                (true, TotalKind::Persons) => format!("合计行写 {stated}，数据行保障人数合计为 {computed} 人"),
                (false, TotalKind::Sum) if column.is_empty() => format!("the totals row says {stated}, the data rows' amounts add up to {computed}"),
                (false, TotalKind::Sum) => format!("the totals row gives {column} = {stated}, the data rows add up to {computed}"),
                (false, TotalKind::Count) => format!("the totals row says {stated}, there are {computed} data rows"),
                (false, TotalKind::Persons) => format!("the totals row says {stated}, the data rows cover {computed} persons"),
            },
        }
    }

    pub fn hint(&self, lang: Lang) -> &'static str {
        use Problem::*;
        match self {
            FileEmpty => lang.pick("确认导出的是正确的文件", "check that the right file was exported"),
            FileUnreadable { .. } => lang.pick(
                "文件可能损坏或未传完整：重新导出，或用 Excel 打开后另存为 .xlsx",
                "the file may be damaged or incomplete: export it again, or open it in Excel and save as .xlsx",
            ),
            ZipChecksum { .. } => lang.pick(
                "请向发送方重新索取此文件；不要用这份文件发放或对账",
                "ask for the file again; do not pay or reconcile from this copy",
            ),
            NotSpreadsheet { .. } => lang.pick(
                "请提供 .xlsx/.xls/.ods/.csv/.txt 格式的原始数据文件",
                "provide the data as .xlsx/.xls/.ods/.csv/.txt",
            ),
            EncodingDamaged { .. } | BadBytes { .. } => lang.pick(
                "文件可能损坏或被不同编码拼接：从原系统重新导出，或另存为 UTF-8；也可用 --encoding 指定编码",
                "the file may be damaged or mix encodings: export it again, or save it as UTF-8; or name the encoding with --encoding",
            ),
            EncodingMixed { .. } => lang.pick(
                "把整个文件用同一种编码保存（如用 Excel 打开后另存为“CSV UTF-8”），然后重新检查",
                "save the whole file in one encoding (e.g. open it in Excel and save as \"CSV UTF-8\"), then check again",
            ),
            BadCharacter {
                kind: BadChar::PrivateUse,
                ..
            } => lang.pick(
                "改用标准字符（GB 18030）输入；确实无法输入的生僻字，按银行要求的写法填写",
                "enter the standard character (GB 18030); write a rare character that cannot be typed as the bank requires",
            ),
            BadCharacter { .. } => lang.pick(
                "清空此单元格后重新手工输入（不要从网页、聊天软件或其他系统复制粘贴）",
                "clear the cell and type the value again (do not paste it from a web page, a chat or another system)",
            ),
            TextTooLong { .. } => lang.pick(
                "核对此单元格：可能把整段文字误粘贴了进来",
                "check the cell: a whole text may have been pasted into it",
            ),
            SheetEmpty => lang.pick("用 --sheet 指定有数据的工作表", "name the sheet with the data with --sheet"),
            NoHeader { .. } => lang.pick(
                "加上缺少的列，或把列名改成说明书中的名称（也可用 --mapping 增加别名）",
                "add the missing column, or rename the header to one of the documented names (or add an alias with --mapping)",
            ),
            KindUnknown => lang.pick(
                "用 --kind roster|bank|checkins 指明文件种类，并核对表头",
                "say the kind with --kind roster|bank|checkins and check the headers",
            ),
            HeaderOnOtherSheet { .. } => lang.pick(
                "用 --sheet 加工作表名读取它",
                "read it with --sheet and the sheet's name",
            ),
            DuplicateColumn { .. } => lang.pick("删除或改名多余的列", "remove or rename the extra column"),
            NoDataRows => lang.pick("确认表头下面有数据", "check that there are rows under the header"),
            LayoutAmbiguous { .. } => lang.pick(
                "在映射文件（--mapping）或 dibao.toml 的 [[bank_profiles]] 中写明这家银行的格式；dibao layouts 列出各内置格式及其写法",
                "describe this bank's layout in a mapping file (--mapping) or dibao.toml's [[bank_profiles]]; dibao layouts lists the built-in layouts and how to write them",
            ),
            NoHeaderRow { .. } => lang.pick(
                "在映射文件中按位置写出各列，例如 columns = [\"account\", \"account_name\", \"amount\", \"status\"]（不用的列写 \"\"）；dibao layouts 有各银行的例子",
                "name the columns by position in a mapping file, e.g. columns = [\"account\", \"account_name\", \"amount\", \"status\"] (\"\" for a column to ignore); dibao layouts shows examples",
            ),
            SummaryUnreadable { .. } => lang.pick(
                "核对映射的 summary = \"first\" 或 \"last\"；文件没有汇总行时删去此项",
                "check the profile's summary = \"first\" or \"last\"; remove it when the file has no summary line",
            ),
            WidthCutsCharacter => lang.pick(
                "核对映射的 widths：按文件编码的字节数计，GBK 中一个汉字占 2 字节",
                "check the profile's widths: they count the file's bytes, 2 for a Chinese character in GBK",
            ),
            SkippedRow { .. } => lang.pick(
                "如果这是数据行，请补全低保证号、姓名等必填列",
                "if this is a data row, fill in its required columns",
            ),
            MissingValue { .. } => lang.pick("补填此项", "fill in the value"),
            UnclosedQuote { .. } => lang.pick(
                "删去多余的引号（\"）或补上另一半，然后重新检查",
                "remove the stray quote (\") or add the closing one, then check again",
            ),
            IdScientific { .. } | IdDigitsLost { .. } | AccountScientific { .. } | AccountDigitsLost { .. } | NumberLostDigits { .. } => {
                lang.pick(
                    "把此列设为“文本”格式，从原始系统重新导出或重新录入完整号码；不要在 Excel 中直接改数字",
                    "format the column as text and export again from the source system (or re-enter the full number); do not edit the number in Excel",
                )
            }
            IdShape { .. } | IdBirthDate { .. } | IdCheckChar { .. } => {
                lang.pick("对照身份证原件逐位核对后改正", "compare with the ID card digit by digit and correct it")
            }
            IdUpgraded { .. } => lang.pick("核对后在花名册中改为 18 位号码", "check it and put the 18-digit number in the roster"),
            AccountNotDigits { .. } | AccountTooShort { .. } => {
                lang.pick("对照存折或银行卡核对账号", "check the account against the passbook or card")
            }
            AccountLuhn { .. } => lang.pick("对照存折或银行卡核对账号；无误可忽略", "check the account against the card; ignore if it is right"),
            AccountTailZeros { .. } => lang.pick(
                "对照存折或银行卡核对末几位；被截断时把列设为文本后重新导出",
                "check the last digits against the card; if cut, format the column as text and export again",
            ),
            MembersInvalid { .. } => lang.pick("填写保障人数（整数）", "enter the number of covered persons (a whole number)"),
            AmountInvalid { .. } | AmountNegative { .. } | AmountPrecision { .. } => {
                lang.pick("填写以元为单位、最多两位小数的金额", "enter an amount in yuan with at most two decimals")
            }
            AmountComma { .. } => lang.pick(
                "小数点请用“.”（330.00），千位分隔用“,”（1,234.50）",
                "write the decimal point as \".\" (330.00); a comma only separates thousands (1,234.50)",
            ),
            AmountTooLarge { .. } => lang.pick("核对金额是否多输了数字", "check the amount for extra digits"),
            AmountFenFraction { .. } => lang.pick(
                "以分计的金额是整数：核对金额，以及表头、单元格或映射文件的 amount_unit 所写的单位",
                "an amount in fen is a whole number: check the amount, and the unit its header, cell or the mapping file's amount_unit names",
            ),
            AmountSpace { .. } => lang.pick(
                "删去空格后核对金额（小数点用“.”），或从原系统重新导出",
                "remove the space and check the amount (the decimal point is \".\"), or export the file again",
            ),
            AmountUnitConflict { .. } => lang.pick(
                "核对此金额及其单位，使之与此列的单位一致",
                "check the amount and its unit, and make it agree with the column's unit",
            ),
            UnitConflict { .. } => lang.pick(
                "核对文件的表头（或标题行的单位）与映射文件的 amount_unit，改正其一",
                "check the file's header (or the title row's unit) against the mapping file's amount_unit, and correct one of them",
            ),
            UnitUnknown { .. } => lang.pick(
                "把金额换算为元（或分）并改正单位后重新导出",
                "convert the amounts to yuan (or fen), correct the unit and export again",
            ),
            AmountUnitUnknown { .. } => lang.pick("先改正表头处的单位错误", "correct the unit problem at the header first"),
            AmountAboveLimit { .. } | TotalAboveLimit { .. } => lang.pick(
                "核对是否多输了数字或把分当成了元；确实无误时在政策文件的 [payment] 中调高 max_household_total",
                "check for extra digits or fen taken for yuan; if it is right, raise max_household_total under [payment] in the policy file",
            ),
            StatusUnknown { .. } => lang.pick(
                "填写 在保、暂停、停保、终止 或 渐退",
                "use 在保 (active), 暂停 (suspended), 停保/终止 (stopped) or 渐退 (phasing out)",
            ),
            BankNoStatusColumn { .. } => lang.pick(
                "在映射文件或 dibao.toml 的 [[bank_profiles]] 中把状态列写进 [aliases] status = [\"列名\"]；银行分开给成功、失败两个文件的，用 outcome = \"success\" 或 \"failure\" 声明",
                "name the status column in a mapping file or dibao.toml's [[bank_profiles]] ([aliases] status = [\"header\"]); for a bank's separate success and failure files, declare outcome = \"success\" or \"failure\"",
            ),
            BankStatusUnknown { .. } | BankStatusEmpty => lang.pick(
                "向银行核实此笔结果；如是该行的固定写法，可在映射文件的 success/failure 中加入",
                "ask the bank for this payment's result; if it is the bank's usual word, add it to success/failure in a mapping file",
            ),
            MonthInvalid { .. } => lang.pick("写成 2026-11 或 2026年11月", "write it as 2026-11"),
            MonthAmbiguous { .. } => lang.pick("把此列设为文本，写成 2026-10 这样的形式", "format the column as text and write it as 2026-10"),
            DateInvalid { .. } => lang.pick("写成 2026-11-25 或 2026年11月25日", "write it as 2026-11-25"),
            MonthRange { .. } => lang.pick("核对起止年月", "check the start and end months"),
            PhaseOutNoEnd => lang.pick("填写渐退的停保年月", "enter the month the phase-out ends"),
            FlagInvalid { .. } => lang.pick("填写 是 或 否", "use 是/否, Y/N, true/false or 1/0"),
            ClassUnknown { .. } => lang.pick("填写 A、B 或 C", "use A, B or C"),
            MethodUnknown { .. } => lang.pick("填写 本人、到站、上门 或 代签", "use 本人/到站 (in person), 上门 (home visit) or 代签 (proxy)"),
            CheckinNoKey => lang.pick("补填低保证号或身份证号", "fill in the household number or the ID number"),
            CheckinNoDate => lang.pick("补填签到日期；未签到的请写明请假原因", "enter the date, or the reason for not coming"),
            CheckinNoMonth => lang.pick("补填所属年月", "enter the month the record is for"),
            CellError { .. } => lang.pick("修正产生错误值的公式后重新导出", "fix the formula that produced the error and export again"),
            DuplicateHouseholdId { .. } => lang.pick("每户只保留一行，核对低保证号", "keep one row per household; check the numbers"),
            DuplicateIdNumber { .. } => lang.pick(
                "同一人不能在两户中享受：核实后删除多余的一户",
                "one person cannot be covered twice: check and remove one of the households",
            ),
            DuplicateAccount { .. } => lang.pick(
                "每户应有自己的账号：核实两户账号后改正",
                "each household needs its own account: check both and correct them",
            ),
            ApprovedAboveStandard { .. } => lang.pick("核对核定低保金的审批依据", "check the approval behind the amount"),
            AdjustmentUnknownHousehold { .. } => lang.pick("核对低保证号，或先把该户加入花名册", "check the household number, or add the household to the roster"),
            AdjustmentNotPositive { .. } => lang.pick("核对扣发金额", "check the deduction"),
            NothingToPay { .. } => lang.pick(
                "核对核定金额（0 元的户应办理停保，而不是发放 0 元）和政策的保障标准",
                "check the approved amount (a household paid nothing should be stopped, not paid 0.00) and the policy's standard",
            ),
            AdjustmentNotApplied { .. } => lang.pick("待该户恢复发放后再调整", "adjust when the household is paid again"),
            ReissueAlreadyPaid { .. } => lang.pick("无需处理", "nothing to do"),
            CheckinTooLate { .. } | CheckinBeforeMonth { .. } => lang.pick("核对签到日期和所属年月；确属逾期的由民政干事复核", "check the date and the month it is for; a really late stamp is for the officer to review"),
            CheckinUnknownHousehold { .. } => lang.pick("核对低保证号或身份证号是否抄错", "check the household number or ID for a typing error"),
            CheckinsNotGiven { .. } => lang.pick("用 --checkins 给出本月的签到表后重新对账", "reconcile again with the month's check-in files (--checkins)"),
            PayrollEdited { .. } => lang.pick("使用发放当时生成的 payroll.csv，或重新生成发放表", "use the payroll.csv as it was made, or make the payroll again"),
            PayrollUnknownHousehold { .. } => lang.pick("确认花名册与发放表是同一月份、同一版本", "check that the roster and the payroll are of the same month and version"),
            UploadTooLong { field: "户名", .. } => lang.pick(
                "在花名册中缩短户名（与银行开户名一致）；或向银行确认上限后，在该银行映射的 [upload] 中设 name_bytes",
                "shorten the 户名 in the roster (as the bank account has it); or ask the bank for its limit and set name_bytes in that bank's profile [upload]",
            ),
            UploadTooLong { field: "备注", .. } => lang.pick(
                "低保证号放不进银行的备注：向银行确认备注上限后，在该银行映射的 [upload] 中设 reference_bytes",
                "the household number does not fit the bank's 备注: ask the bank for its limit and set reference_bytes in that bank's profile [upload]",
            ),
            UploadTooLong { .. } => lang.pick(
                "核对花名册中的该值；或向银行确认格式后，修改该银行映射 [upload] 中的 widths",
                "check this value in the roster; or ask the bank for its format and change widths in that bank's profile [upload]",
            ),
            UploadAmountTooLarge { .. } => lang.pick(
                "核对该户金额；若银行单笔上限更高，在该银行映射的 [upload] 中设 max_amount",
                "check the household's amount; if the bank takes more on one line, set max_amount in that bank's profile [upload]",
            ),
            OwedNotDue { .. } => lang.pick(
                "在工作区中（dibao run）该户恢复发放的第一个月自动补发；单独运行 payroll 时用 --adjustments 补发",
                "in a workspace (dibao run) it is paid in the first month the household is paid again; with payroll alone, pay it with --adjustments",
            ),
            AdjustmentBesideReissue { .. } => lang.pick(
                "如果这行补发就是同一笔欠发，请从补发/扣发文件中删去这一行后重做，否则会付两次",
                "if the adjustment is the same money as the re-issue, remove its line and make the payroll again, or it is paid twice",
            ),
            PayrollNotCounted { copy: true } => lang.pick(
                "备份请放在工作区的 out 文件夹之外",
                "keep backups outside the workspace's out folder",
            ),
            PayrollNotCounted { copy: false } => lang.pick(
                "使用 dibao 生成时的文件；不需要时可删除",
                "use the file as dibao made it, or remove it if it is not needed",
            ),
            TotalsMismatch { .. } => lang.pick(
                "核对数据行与合计行：可能有行被删除、隐藏或合计未更新",
                "check the data rows against the totals: a row may have been deleted or hidden, or the totals not updated",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_ref_prints_like_excel() {
        let mut at = SourceRef::file("bank.xlsx".into());
        at.sheet = Some("回盘".into());
        at.row = Some(14);
        at.col = Some(2);
        at.header = Some("金额".into());
        assert_eq!(at.to_string(), "bank.xlsx[回盘]!C14 (金额)");
        assert_eq!(at.row_label(), "bank.xlsx[回盘]!14");
        assert_eq!(SourceRef::file("a.csv".into()).to_string(), "a.csv");
    }

    #[test]
    fn column_letters_like_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }
}
