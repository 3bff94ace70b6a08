"""The tables regions send (CONTRACT.md §2): their sheet names, columns, the
names a column goes by, what each holds, and what makes a row unique.

`scope` is what a corrected file replaces: the newest file's rows win for each
distinct value of the scope columns, and the earlier rows stay in the history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What a column holds; validate.py knows how to read each.
REGION, DATE, COUNT, OPT_COUNT, KIND, STATUS, TEXT, ID_NUMBER, PERSONAL = (
    "region", "date", "count", "opt_count", "kind", "status", "text", "id_number", "personal")

KINDS = ("幼儿园", "小学", "初级中学", "高级中学", "中等职业学校文化课", "中等职业学校专业课", "中等职业学校实习指导")
KIND_ALIASES = {"初中": "初级中学", "高中": "高级中学", "中职文化课": "中等职业学校文化课",
                "中职专业课": "中等职业学校专业课", "中职实习指导": "中等职业学校实习指导",
                "中等职业学校实习指导教师": "中等职业学校实习指导", "幼儿园教师": "幼儿园",
                "小学教师": "小学", "初级中学教师": "初级中学", "高级中学教师": "高级中学"}
PLAN_STATUSES = ("已报送", "未报送", "退回修改", "已备案")
REGION_HEADERS = ("地区", "地区代码", "地区名称", "填报单位", "认定机构")
# 任教学科 as applicants write them: the subjects of 中小学教师资格 and common 中职 specialities. Not a list
# the loader enforces (any subject loads); it is what tells a subject from a person's name (etl/personal.py).
SUBJECTS = ("语文", "数学", "英语", "日语", "俄语", "德语", "法语", "西班牙语", "外语", "物理", "化学", "生物",
            "科学", "思想品德", "道德与法治", "思想政治", "政治", "品德与生活", "品德与社会", "历史", "地理",
            "历史与社会", "音乐", "美术", "体育", "体育与健康", "艺术", "舞蹈", "书法", "信息技术", "通用技术",
            "劳动技术", "综合实践活动", "心理健康教育", "心理健康", "特殊教育", "学前教育", "全科", "小学全科",
            "计算机应用", "会计", "护理", "烹饪", "机电技术", "电子技术", "汽车运用与维修", "数控技术",
            "旅游服务与管理", "畜牧兽医", "农学", "车工", "钳工", "焊工", "电工", "幼儿园")


@dataclass(frozen=True)
class Column:
    name: str  # the column in the warehouse
    header: str  # the contract's header
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()

    def matches(self, header: str) -> bool:
        return header == self.header or header in self.aliases


@dataclass(frozen=True)
class TableSpec:
    name: str  # warehouse table
    sheet: str  # the contract's sheet name
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # one row per key in a file
    scope: tuple[str, ...]  # a newer file replaces earlier rows with the same scope
    keeps_raw: bool = True  # the raw file is kept, unless it holds personal data

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    @property
    def figures(self) -> list[str]:
        """Columns compared when the same key appears twice."""
        return [c.name for c in self.columns if c.name not in self.key and c.kind != PERSONAL]


def region(required: bool = True) -> Column:
    return Column("region_code", "地区", REGION, required, REGION_HEADERS[1:])


PLAN = TableSpec("plan", "实施方案", (
    region(),
    Column("plan_submitted_on", "方案报送日期", DATE, aliases=("报送日期", "方案报送时间")),
    Column("announced_on", "公告发布日期", DATE, aliases=("公告日期", "认定公告发布日期", "公告发布时间")),
    Column("status", "方案状态", STATUS, aliases=("状态",)),
    Column("remark", "备注", TEXT),
), key=("region_code",), scope=("region_code",))

REGISTRATIONS = TableSpec("registrations", "报名进度", (
    region(),
    Column("date", "日期", DATE, True, ("报名日期", "网报日期", "统计日期")),
    Column("qualification", "资格种类", KIND, True, ("申请资格种类", "资格类别")),
    Column("registrations", "报名人数", COUNT, True, ("网报人数", "报名数")),
), key=("region_code", "date", "qualification"), scope=("region_code", "date", "qualification"))

SITES = TableSpec("sites", "现场确认安排", (
    region(),
    Column("site_name", "确认点名称", TEXT, True, ("确认点", "现场确认点", "确认点名")),
    Column("start_date", "开始日期", DATE, True, ("确认开始日期",)),
    Column("end_date", "结束日期", DATE, True, ("确认结束日期",)),
    Column("windows", "窗口数", COUNT, True, ("确认窗口数", "窗口数量")),
    Column("staff", "工作人员数", OPT_COUNT, aliases=("工作人员", "人员数")),
    Column("per_window", "每窗口日确认量", OPT_COUNT, aliases=("每窗口每日确认量", "单窗口日确认量")),
), key=("region_code", "site_name"), scope=("region_code",))

HOSPITALS = TableSpec("hospitals", "体检安排", (
    region(),
    Column("hospital_name", "体检医院名称", TEXT, True, ("体检医院", "医院名称")),
    Column("start_date", "开始日期", DATE, True, ("体检开始日期",)),
    Column("end_date", "结束日期", DATE, True, ("体检结束日期",)),
    Column("daily_capacity", "日体检能力", COUNT, True, ("每日体检能力", "日体检量")),
), key=("region_code", "hospital_name"), scope=("region_code",))

PROGRESS = TableSpec("progress", "认定进度", (
    region(),
    Column("as_of", "统计截止日期", DATE, True, ("截止日期", "统计日期", "截至日期")),
    Column("registered", "网报人数", COUNT, True, ("报名人数",)),
    Column("booked", "已预约", OPT_COUNT, aliases=("预约人数",)),
    Column("confirmed", "已现场确认", OPT_COUNT, aliases=("现场确认人数", "已确认")),
    Column("examined", "已体检", OPT_COUNT, aliases=("体检人数",)),
    Column("record_checked", "犯罪记录已核查", OPT_COUNT, aliases=("已核查犯罪记录", "犯罪记录核查人数")),
    Column("approved", "认定通过", OPT_COUNT, aliases=("认定通过人数",)),
    Column("rejected", "认定不通过", OPT_COUNT, aliases=("认定不通过人数",)),
    Column("printed", "证书已打印", OPT_COUNT, aliases=("已打印证书",)),
    Column("issued", "证书已发放", OPT_COUNT, aliases=("已发放证书",)),
), key=("region_code", "as_of"), scope=("region_code", "as_of"))

APPLICANTS = TableSpec("applicants", "申请人明细", (
    Column("application_no", "报名号", TEXT, True),
    Column("name", "姓名", PERSONAL),
    Column("id_hash", "身份证号", ID_NUMBER, aliases=("身份证件号码", "证件号码")),
    Column("phone", "手机号", PERSONAL, aliases=("手机号码", "联系电话")),
    Column("qualification", "资格种类", KIND, True, ("申请资格种类",)),
    Column("subject", "任教学科", TEXT, aliases=("学科",)),
    Column("region_code", "认定机构", REGION, True, ("地区",)),
    Column("registered_on", "网报日期", DATE, True, ("报名日期",)),
    Column("confirmation_status", "现场确认状态", TEXT),
    Column("exam_result", "体检结论", TEXT),
    Column("record_check", "犯罪记录核查", TEXT),
    Column("decision", "认定结论", TEXT),
    Column("certificate", "证书状态", TEXT),
), key=("application_no",), scope=("application_no",), keeps_raw=False)

TABLES = (PLAN, REGISTRATIONS, SITES, HOSPITALS, PROGRESS, APPLICANTS)


def normalise_header(text: object) -> str:
    """报名人数\n（人） → 报名人数; ' 日  期 ' → 日期; 窗口数(个) → 窗口数; a trailing * goes."""
    cleaned = re.sub(r"\s+", "", str(text or ""))
    cleaned = re.sub(r"[（(][^）)]*[）)]$", "", cleaned)
    return cleaned.strip("*＊:：")


def match_columns(spec: TableSpec, headers: list[str]) -> dict[str, int]:
    """Warehouse column → position in the header, for the headers this table knows."""
    found: dict[str, int] = {}
    for position, header in enumerate(headers):
        for column in spec.columns:
            if column.name not in found and column.matches(header):
                found[column.name] = position
                break
    return found


def identify(sheet_name: str, headers: list[str]) -> TableSpec | None:
    """The table a sheet holds: by its name, else by the best match of its header."""
    name = normalise_header(sheet_name)
    for spec in TABLES:
        if spec.sheet in name:
            return spec
    scored = [(sum(c.name in match_columns(spec, headers) for c in spec.required) / len(spec.required), spec)
              for spec in TABLES]
    score, best = max(scored, key=lambda s: s[0])
    return best if score == 1 else None
