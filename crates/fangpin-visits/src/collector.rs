//! Who collects: the worker states it once, and every record carries it.

use fangpin_core::input::{TextKind, check_text, fold};
use fangpin_core::text::Text;
use serde::{Deserialize, Serialize};

/// The worker's role in the 集中排查.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 网格员
    GridWorker,
    /// 村干部
    VillageCadre,
    /// 驻村干部
    ResidentCadre,
    /// 第一书记
    FirstSecretary,
    /// 其他
    Other,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::GridWorker, Role::VillageCadre, Role::ResidentCadre, Role::FirstSecretary, Role::Other];

    pub fn label(self) -> Text {
        let (zh, en) = match self {
            Role::GridWorker => ("网格员", "grid worker"),
            Role::VillageCadre => ("村干部", "village cadre"),
            Role::ResidentCadre => ("驻村干部", "resident cadre"),
            Role::FirstSecretary => ("第一书记", "first secretary"),
            Role::Other => ("其他", "other"),
        };
        Text::lit(zh, en)
    }
}

/// A person who collects or enters records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collector {
    pub name: String,
    /// Digits only (full-width folded, spaces and dashes gone).
    pub phone: String,
    pub role: Role,
    pub township: String,
    pub village: String,
}

/// A field of the worker's own details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Phone,
    Township,
    Village,
}

/// A problem with one field, said plainly in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: Field,
    pub message: Text,
}

const MAX_NAME: usize = 20;
const MAX_PLACE: usize = 40;

impl Collector {
    /// The worker's details as typed; every problem at its field, nothing guessed.
    pub fn parse(name: &str, phone: &str, role: Role, township: &str, village: &str) -> Result<Collector, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut text = |field, value: &str, max| {
            let v = value.trim();
            if v.is_empty() {
                problems.push(FieldProblem { field, message: Text::lit("请填写这一项。", "Please fill this in.") });
            } else if let Err(p) = check_text(v, TextKind::Line, max) {
                problems.push(FieldProblem { field, message: p.message() });
            }
            v.to_string()
        };
        let name = text(Field::Name, name, MAX_NAME);
        let township = text(Field::Township, township, MAX_PLACE);
        let village = text(Field::Village, village, MAX_PLACE);
        let digits: String = fold(phone).chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let mobile = digits.len() == 11 && digits.starts_with('1');
        let landline = (10..=12).contains(&digits.len()) && digits.starts_with('0');
        if !digits.chars().all(|c| c.is_ascii_digit()) || !(mobile || landline) {
            problems.push(FieldProblem {
                field: Field::Phone,
                message: Text::lit(
                    "请填 11 位手机号，或带区号的座机号，例如 0598-3851238。",
                    "Please enter an 11-digit mobile number, or a landline with its area code, e.g. 0598-3851238.",
                ),
            });
        }
        if problems.is_empty() { Ok(Collector { name, phone: digits, role, township, village }) } else { Err(problems) }
    }

    /// Someone else who collected a household the worker now enters (谁采集 ≠ 谁录入, e.g. a grid
    /// worker's paper form): their name and role, in the worker's own township and village; no phone
    /// (the worker who enters answers for the record). The name's problem is said at its field.
    pub fn other(name: &str, role: Role, entering: &Collector) -> Result<Collector, FieldProblem> {
        let v = name.trim();
        let problem = if v.is_empty() {
            Some(Text::lit("请填写采集人的姓名。", "Please give the collector's name."))
        } else {
            check_text(v, TextKind::Line, MAX_NAME).err().map(|p| p.message())
        };
        match problem {
            Some(message) => Err(FieldProblem { field: Field::Name, message }),
            None => Ok(Collector {
                name: v.to_string(),
                phone: String::new(),
                role,
                township: entering.township.clone(),
                village: entering.village.clone(),
            }),
        }
    }

    /// As the application's 填写人 and the CSV show it: “张三（网格员）”.
    pub fn signature(&self, lang: &str) -> String {
        match lang {
            "en" => format!("{} ({})", self.name, self.role.label().get("en")),
            _ => format!("{}（{}）", self.name, self.role.label().get("zh")),
        }
    }
}
