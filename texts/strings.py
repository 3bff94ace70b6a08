"""The dashboard's words. Keys are English; values are what users read."""

ZH = {
    "app.title": "河南省中小学教师资格认定工作监测",
    "app.short_title": "教师资格认定工作监测",
    "sidebar.province": "河南省（全省）",
    "scope.province": "全省",
    "reg.rank_per_10k_title": "每万人口网报人数（{region}，截至 {as_of}）",
    "plans.not_received": "未收到",
    "risk.hover": "应完成 {due}<br>预计 {projected}<br>余量 {slack} 个工作日",
    "col.milestone": "环节",
    "scope.rolled_up": "{county}的实施方案由{city}报送，这里显示{city}的。确认能力、确认天数和认定进度："
                       "{county}若报送了自己的确认点，按{county}自身判断；否则计入{city}的确认点，显示{city}的。",
    "col.population": "人口（2020年普查，县级为估算）",
    "nav.overview": "总览",
    "nav.registrations": "报名量",
    "nav.capacity": "现场确认产能",
    "nav.risk": "截止风险",
    "nav.plans": "实施方案",
    "sidebar.campaign": "认定批次",
    "sidebar.as_of": "截至日期",
    "sidebar.as_of_help": "整页按此日期计算，风险预测也按当时的数据；默认是最新数据日期",
    "sidebar.region": "地区",
    "sidebar.county": "县（市、区）",
    "sidebar.whole": "全部",
    "sidebar.language": "语言 Language",
    "freshness.line": "最近收到文件：{received}；本周（{week}，省定每周五报送）尚未报送进度的地区：{missing}",
    "freshness.none_missing": "无",
    "source": "数据来源：各地报送 · 截至 {as_of}",
    "empty.warehouse": "还没有导入任何数据。请把各地报送的文件放进一个文件夹，运行 `python -m etl load 文件夹`"
                       "（演示：`make run` 会自动生成并导入演示数据）。",
    "empty.scope": "{region}在 {as_of} 之前还没有报送这类数据。",
    "error.no_context": "页面还没有准备好，请点左侧的页面名称或刷新浏览器。",
    "error.friendly": "页面出错了，请刷新重试；如果反复出现，请把截图发给技术人员。",
    "metric.registered": "网报人数",
    "metric.confirmed_rate": "现场确认完成率",
    "metric.decided_rate": "认定结论完成率",
    "metric.issued_rate": "证书发放率",
    "metric.plans": "实施方案已报送",
    "metric.days_left": "距 {final} 剩余工作日",
    "overview.attention": "需要关注",
    "overview.attention_none": "目前没有需要关注的地区。",
    "overview.by_region": "各地区截止风险（截至 {as_of}）",
    "reg.daily_title": "{region}每日网报人数（截至 {as_of}）",
    "reg.cumulative_title": "{region}累计网报人数（截至 {as_of}）",
    "reg.kind_title": "{region}网报人数按资格种类（截至 {as_of}）",
    "reg.rank_title": "{region}各地网报人数排名（截至 {as_of}）",
    "reg.rank_per_10k": "每万人口网报人数",
    "reg.window": "网上报名时间",
    "reg.outside": "报名时间以外报送的报名数",
    "reg.source_note": "按各地报送的每日报名数汇总（被拒收的行不计入）；"
                       "与总览的网报人数口径相同；周报中填报的网报人数与此不一致的地区列在总览中。",
    "metric.registered_help": "按各地报送的每日报名数汇总（与报名量页相同）；下方为较上周的变化",
    "reg.holiday": "节假日",
    "cap.title": "{region}现场确认：报名人数与确认能力（截至 {as_of}）",
    "cap.exam_title": "{region}体检：报名人数与体检能力（截至 {as_of}）",
    "cap.over": "报名人数超过确认能力",
    "cap.demand": "报名人数（需求）",
    "cap.capacity": "确认能力",
    "cap.utilisation": "产能利用率",
    "cap.r3": "确认工作日（R3 要求 ≥{min}）",
    "cap.exam_capacity": "体检能力",
    "cap.whatif": "调整测算",
    "cap.whatif_region": "测算地区",
    "cap.whatif_windows": "增加窗口数",
    "cap.whatif_days": "延长工作日",
    "cap.whatif_rate": "每窗口每日多确认",
    "cap.whatif_result": "调整后：确认能力 {capacity:,} 人，利用率 {utilisation:.0%}，排队在 {clear} 清空"
                         "（确认期到 {end} 结束）",
    "cap.whatif_now": "按现有安排：确认能力 {capacity:,} 人，利用率 {utilisation:.0%}，排队在 {clear} 清空"
                      "（确认期到 {end} 结束）。可在上面增加窗口、天数或每窗口确认量试算。",
    "cap.whatif_after": "排队清空晚于确认期结束（{end}）：按此安排，确认期内确认不完。",
    "cap.whatif_never": "调整后仍无确认能力",
    "risk.title": "{region}截止风险（截至 {as_of}）",
    "risk.pick": "选择地区和环节查看依据",
    "risk.detail": "{region} · {milestone}：应完成 {due}，按S形进度推算预计 {projected}，余量 {slack} 个工作日",
    "risk.detail_dated": "{region} · {milestone}：须早于本地区认定公告发布日 {due}，实际报送 {projected}，"
                         "余量 {slack} 个工作日",
    "risk.detail_r3": "{region}现场确认 {start} 至 {end}，共 {days} 个工作日（规定不少于 {min} 个工作日）",
    "risk.pace_title": "{region}{milestone}进度与所需进度（截至 {as_of}）",
    "stage.plan": "方案报送→公告",
    "stage.registration": "网上报名",
    "stage.confirmation": "现场确认",
    "stage.decisions": "认定结论（30个工作日内）",
    "stage.certificates": "全部完成时限",
    "risk.actual": "实际进度",
    "risk.required": "按期完成所需进度",
    "plans.title": "{region}实施方案报送情况（截至 {as_of}）",
    "plans.timeline": "{region}工作时间线",
    "plans.todo": "尚未报送或需修改实施方案的地区（可复制）",
    "plans.todo_none": "所有地区均已报送实施方案。",
    "col.region": "地区",
    "col.status": "方案状态",
    "col.submitted": "报送日期",
    "col.announced": "公告日期",
    "col.before": "公告前报送",
    "col.overdue": "逾期工作日",
    "col.remark": "备注",
    "view.table": "表格",
    "view.chart": "图表",
    "download.csv": "下载 CSV",
    "download.xlsx": "下载 Excel",
    "unknown": "未知",
    "yes": "是",
    "no": "否",
    "risk.click": "点击热力图中的格子，下方即显示该地区该环节的规则和数据。",
    "risk.figure": "依据",
    "risk.value": "数值",
    "reg.compare": "与其他批次对比",
    "reg.compare_none": "仓库中没有其他认定批次的报名数据。导入另一批次的报名数据、"
                        "并在 data/campaigns/ 中放入该批次的配置文件后，"
                        "这里会按“报名第几天”对比两个批次的累计网报人数。",
    "reg.compare_with": "对比批次",
    "reg.compare_day": "报名第几天（第 1 天 = 报名首日）",
    "reg.compare_cumulative": "累计网报人数",
    "reg.compare_title": "累计网报人数：本批次与{other}（{region}，截至 {as_of}）",
    "stale.badge": "停报",
    "stale.since": "{region}自 {last} 之后没有再报送进度周报（已缺 {n} 次，最近一次应报 {due}）",
    "stale.never": "{region}至今没有报送进度周报（已缺 {n} 次，最近一次应报 {due}）",
    "map.measure": "地图显示",
    "map.risk": "截止风险（最差环节）",
    "map.registrations": "网报人数",
    "map.per_10k": "每万人口网报人数",
    "map.confirmed_rate": "现场确认完成率",
    "map.utilisation": "确认点产能利用率",
    "map.title": "{measure}（{region}，截至 {as_of}）",
    "map.hint": "点击地图上的地区，查看它下属的县（市、区）。",
    "map.hint_county": "点击县（市、区）查看其数据；左侧可返回全市或全省。",
    "map.back": "返回全省",
    "map.jili": "吉利区已于 2021 年并入孟津区，现有边界数据中没有它 2020 年的单独边界，"
                "地图上与孟津县合为一块，数值为两者之和。",
    "map.no_shapes": "{region}下没有可在地图上单独显示的地区。",
    "map.no_data": "无数据",
    "map.shape": "地图区域",
    "risk.not_applicable": "此规则不适用于该单位",
    "reg.rate_left_out": "{names}的人口为估算，未参与每万人口排名。",
    "reg.no_rate_counties": "县级人口为估算（按所属市普查人口分摊），在载入县级普查人口之前不按每万人口排名。",
    "risk.not_applicable_detail": "{milestone}不适用于{region}（实施方案由报送单位报送；"
                                  "体检能力按报送了体检医院的单位计算）。",
    "risk.states": "已完成：按期完成 · 逾期完成：已完成但晚于期限 · 正常 · "
                   "有风险：余量不足、停滞、停报或进度太少尚无法推算 · "
                   "预计逾期：期限未到，按S形进度推算将晚于期限 · 已逾期：期限已过仍未完成 · "
                   "不达标：违反非期限类规则（R3、R4、R5）。",
    "cap.assumption": "幼儿园、小学、初级中学由县级认定：报送了自己确认点（体检医院）的县（市、区）"
                      "按其自身的确认点和报名人数单独判断；"
                      "未报送确认点的县，其申请人计入所属省辖市的确认点（假定）。高级中学和中职类由市级确认点确认。",
    "cap.basis": "需求口径",
    "cap.exam_over": "报名人数超过体检能力",
    "cap.defaults": "确认点未填每窗口日确认量的，按省定默认值每窗口每日 {per_window} 人计算；"
                    "能力利用率超过 {tight:.0%} 记为有风险（均为省里的设置，见活动配置文件，不是通知的规定）。",
    "admin.only": "只有管理员可以使用账户管理。",
    "admin.title": "账户管理",
    "admin.name": "用户名",
    "admin.role": "角色",
    "admin.region": "地区",
    "admin.state": "状态",
    "admin.disabled": "已停用",
    "admin.locked": "已锁定",
    "admin.active": "正常",
    "admin.add": "新建账户",
    "admin.region_for_coordinator": "地区（仅地区联络员）",
    "admin.password": "密码",
    "admin.password_again": "再输一次密码",
    "admin.mismatch": "两次输入的密码不一致",
    "admin.added": "已新建账户 {name}",
    "admin.change": "更改账户",
    "admin.action": "操作",
    "admin.action_disable": "停用",
    "admin.action_enable": "启用",
    "admin.action_password": "重设密码",
    "admin.action_role": "更改角色和地区",
    "admin.new_password": "新密码（重设密码时）",
    "admin.apply": "执行",
    "admin.not_yourself": "不能停用或启用自己的账户",
    "admin.changed": "已更改账户 {name}（其登录已失效）",
    "admin.audit": "操作记录",
    "admin.audit_since": "自",
    "admin.everyone": "全部用户",
    "admin.everything": "全部操作",
    "admin.when": "时间",
    "admin.outcome": "结果",
    "admin.address": "来源地址",
    "admin.detail": "说明",
    "audit.login": "登录",
    "audit.logout": "退出",
    "audit.account": "账户变更",
    "audit.download": "下载",
    "audit.upload": "上传",
    "signin.title": "河南省教师资格认定工作看板 · 登录",
    "signin.name": "用户名",
    "signin.password": "密码",
    "signin.submit": "登录",
    "signin.help": "账户由管理员开通；忘记密码请联系省教师资格认定注册服务中心的管理员重设。"
                   "连续输错 5 次将锁定 15 分钟。",
    "role.admin": "管理员",
    "role.leader": "省级领导",
    "role.coordinator": "地区联络员",
    "account.signed_in": "已登录：{name}（{role}）",
    "account.sign_out": "退出登录",
    "nav.admin": "账户管理",
    "cap.projected_note": "报名截止（{end}）前，需求按报名以来日均人数推算至报名结束，以便在还能增加窗口时预警。",
    "cap.earlier_note": "报名截止（{end}）前，需求按{label}同一报名阶段已报名人数所占比例推算（如往期此时已报 40%，"
                        "则预计报名为目前已报名人数的 2.5 倍），以便在还能增加窗口时预警。",
    "col.level": "判定",
    "col.start": "开始日期",
    "col.end": "结束日期",
    "col.report_date": "周报日期",
    "col.reported": "周报网报人数",
    "col.daily": "逐日报名合计（至周报日）",
    "col.difference": "差异",
    "overview.attention_help": "每个地区一行：最紧急的问题在前，其余问题随后列出。",
    "overview.also": "；另有：{others}",
    "overview.also_silent": "；{sentence}",
    "overview.two_sources": "网报人数的两个来源不一致的地区（{n} 个）",
    "overview.two_sources_help": "总览和报名量的网报人数按各地报送的每日报名数汇总；各地周报中也填报了网报人数。"
                                 "下表列出两者不一致的地区，差异 = 周报 − 逐日合计（逐日数据中被拒收的行不计入）。",
}

EN = {
    "app.title": "Henan teacher-qualification certification monitor",
    "nav.overview": "Overview",
    "nav.registrations": "Registrations",
    "nav.capacity": "Confirmation capacity",
    "nav.risk": "Deadline risk",
    "nav.plans": "Implementation plans",
    "sidebar.campaign": "Campaign",
    "sidebar.as_of": "As of",
    "sidebar.region": "Region",
    "sidebar.county": "County",
    "sidebar.whole": "All",
    "source": "Source: regions' submissions · as of {as_of}",
    "overview.attention": "Needs attention",
    "app.short_title": "Teacher certification monitor",
    "sidebar.province": "Henan (whole province)",
    "scope.province": "Henan",
    "sidebar.as_of_help": "The whole page is computed as of this date, risk projections included; "
                          "the default is the latest data",
    "sidebar.language": "语言 Language",
    "freshness.line": "Last file received: {received}; no progress report yet for this week ({week}; the "
                      "province asks for one each Friday): {missing}",
    "freshness.none_missing": "none",
    "empty.warehouse": "No data loaded yet. Put the regions' files in a folder and run "
                       "`python -m etl load FOLDER` (demo: `make run` writes and loads demo data).",
    "empty.scope": "{region} has sent no data of this kind before {as_of}.",
    "error.no_context": "The page is not ready yet: click a page name on the left or reload the browser.",
    "error.friendly": "Something went wrong on this page. Reload to try again; if it keeps happening, "
                      "send a screenshot to the technical team.",
    "metric.registered": "Registered online",
    "metric.confirmed_rate": "Confirmed on site",
    "metric.decided_rate": "Decided",
    "metric.issued_rate": "Certificates issued",
    "metric.plans": "Plans received",
    "metric.days_left": "Work days to {final}",
    "overview.attention_none": "No region needs attention now.",
    "overview.by_region": "Deadline risk by region (as of {as_of})",
    "reg.daily_title": "Registrations per day, {region} (as of {as_of})",
    "reg.cumulative_title": "Cumulative registrations, {region} (as of {as_of})",
    "reg.kind_title": "Registrations by qualification, {region} (as of {as_of})",
    "reg.rank_title": "Registrations by region, {region} (as of {as_of})",
    "reg.rank_per_10k_title": "Registrations per 10,000 people, {region} (as of {as_of})",
    "reg.rank_per_10k": "Registrations per 10,000 people",
    "reg.window": "Online registration",
    "reg.outside": "Registrations reported outside the window",
    "metric.registered_help": "Summed from the regions' daily registration figures (as on 报名量); below, the "
                               "change since last week",
    "reg.source_note": "Summed from the regions' daily registration figures (rejected rows left out); the same "
                       "figure as the overview's; regions whose weekly reports state another are listed there.",
    "reg.holiday": "Public holiday",
    "cap.title": "On-site confirmation: applicants against capacity, {region} (as of {as_of})",
    "cap.exam_title": "Medical exams: applicants against hospital capacity, {region} (as of {as_of})",
    "cap.over": "Applicants above capacity",
    "cap.demand": "Applicants (demand)",
    "cap.capacity": "Confirmation capacity",
    "cap.utilisation": "Utilisation",
    "cap.r3": "Confirmation working days (R3: at least {min})",
    "cap.exam_capacity": "Exam capacity",
    "cap.whatif": "What if",
    "cap.whatif_region": "Region",
    "cap.whatif_windows": "Add windows",
    "cap.whatif_days": "Add working days",
    "cap.whatif_rate": "More per window per day",
    "cap.whatif_result": "Then: capacity {capacity:,}, utilisation {utilisation:.0%}, queue clears on {clear} "
                         "(confirmation ends {end})",
    "cap.whatif_now": "As planned: capacity {capacity:,}, utilisation {utilisation:.0%}, queue clears on {clear} "
                      "(confirmation ends {end}). Add windows, days or throughput above to try.",
    "cap.whatif_after": "The queue clears after confirmation ends ({end}): as planned, not everyone is "
                        "confirmed in time.",
    "cap.whatif_never": "Still no confirmation capacity",
    "risk.title": "Deadline risk, {region} (as of {as_of})",
    "risk.hover": "Due {due}<br>Projected {projected}<br>Slack {slack} working days",
    "risk.pick": "Choose a region and milestone to see why",
    "risk.detail_dated": "{region} · {milestone}: before the region's own announcement of {due}; sent {projected}, "
                         "slack {slack} working days",
    "risk.detail_r3": "{region} confirms from {start} to {end}: {days} working days (at least {min} required)",
    "risk.detail": "{region} · {milestone}: due {due}, projected on the S-shaped curve {projected}, "
                   "slack {slack} working days",
    "risk.pace_title": "{milestone}: progress against the pace needed, {region} (as of {as_of})",
    "risk.actual": "Reported",
    "risk.required": "Pace needed to finish on time",
    "stage.plan": "Plan → announcement",
    "stage.registration": "Online registration",
    "stage.confirmation": "On-site confirmation",
    "stage.decisions": "Decisions (within 30 working days)",
    "stage.certificates": "Final date",
    "plans.title": "Implementation plans, {region} (as of {as_of})",
    "plans.timeline": "Timeline, {region}",
    "plans.todo": "Regions still to send or revise their plan (copyable)",
    "plans.todo_none": "Every region has sent its plan.",
    "plans.not_received": "not received",
    "col.region": "Region",
    "col.milestone": "Milestone",
    "scope.rolled_up": "{county}'s plan is sent by {city}, and {city}'s is shown. Capacity, confirmation days and "
                       "progress: judged for {county} itself if it sent confirmation sites of its own, otherwise "
                       "counted on {city}'s sites and shown as {city}'s.",
    "col.population": "Population (2020 census; counties estimated)",
    "col.status": "Plan status",
    "col.submitted": "Sent on",
    "col.announced": "Announced on",
    "col.before": "Sent before announcing",
    "col.overdue": "Working days overdue",
    "col.remark": "Remark",
    "view.table": "Table",
    "view.chart": "Chart",
    "download.csv": "Download CSV",
    "download.xlsx": "Download Excel",
    "unknown": "unknown",
    "yes": "yes",
    "no": "no",
    "risk.click": "Click a cell of the heatmap to see the rule and the figures behind it below.",
    "risk.figure": "Figure",
    "risk.value": "Value",
    "reg.compare": "Compared with another campaign",
    "reg.compare_none": "No other campaign's registrations are in the warehouse. Load them and put that campaign's "
                        "file in data/campaigns/: this compares cumulative registrations day by day from opening.",
    "reg.compare_with": "Compare with",
    "reg.compare_day": "Day of registration (1 = opening day)",
    "reg.compare_cumulative": "Cumulative registrations",
    "reg.compare_title": "Cumulative registrations: this campaign and {other} ({region}, as of {as_of})",
    "stale.badge": "stopped reporting",
    "stale.since": "{region} has sent no weekly progress report since {last} ({n} missed, the latest due {due})",
    "stale.never": "{region} has sent no weekly progress report yet ({n} missed, the latest due {due})",
    "map.measure": "Map shows",
    "map.risk": "Deadline risk (worst milestone)",
    "map.registrations": "Registrations",
    "map.per_10k": "Registrations per 10,000 people",
    "map.confirmed_rate": "On-site confirmation done",
    "map.utilisation": "Confirmation-site utilisation",
    "map.title": "{measure} ({region}, as of {as_of})",
    "map.hint": "Click a region on the map to see its counties.",
    "map.hint_county": "Click a county to see its figures; the sidebar goes back to the city or province.",
    "map.back": "Back to the province",
    "map.jili": "吉利区 merged into 孟津区 in 2021 and has no separate 2020 boundary in the data: it is drawn "
                "with 孟津县, and the figures are their sum.",
    "map.no_shapes": "Nothing under {region} has its own shape on the map.",
    "map.no_data": "no data",
    "map.shape": "Map area",
    "risk.not_applicable": "This rule does not apply to this unit",
    "reg.rate_left_out": "The populations of {names} are estimates: not ranked per 10,000 people.",
    "reg.no_rate_counties": "County populations are estimates (shares of the city's census figure): counties are "
                            "not ranked per 10,000 people until census figures are loaded.",
    "risk.not_applicable_detail": "{milestone} does not apply to {region} (plans are sent by reporting regions; exam "
                                  "capacity is judged for units that sent exam hospitals).",
    "risk.states": "done: finished in time · finished late · on track · at risk: little slack, stalled, silent or "
                   "too little done to project · projected late: due date ahead, the S-shaped projection misses "
                   "it · overdue: due date passed, not finished · fails: a rule that is not a date broken "
                   "(R3, R4, R5).",
    "cap.assumption": "Kindergarten, primary and junior-secondary qualifications are certified by counties: a county "
                      "that sent confirmation sites (exam hospitals) of its own is judged on its own sites and "
                      "applicants; the applicants of a county that sent none are counted on its city's sites (an "
                      "assumption). Senior-secondary and vocational kinds are confirmed at the city's sites.",
    "cap.basis": "Demand counted as",
    "cap.exam_over": "Applicants above exam capacity",
    "cap.defaults": "Sites that leave the per-window rate blank count {per_window} per window per day; utilisation "
                    "above {tight:.0%} is at risk (both the province's settings in the campaign file, not the "
                    "notice's rules).",
    "admin.only": "Only an administrator can manage accounts.",
    "admin.title": "Accounts",
    "admin.name": "User name",
    "admin.role": "Role",
    "admin.region": "Region",
    "admin.state": "State",
    "admin.disabled": "disabled",
    "admin.locked": "locked",
    "admin.active": "active",
    "admin.add": "Add an account",
    "admin.region_for_coordinator": "Region (coordinators only)",
    "admin.password": "Password",
    "admin.password_again": "Password again",
    "admin.mismatch": "The two passwords differ",
    "admin.added": "Account {name} added",
    "admin.change": "Change an account",
    "admin.action": "Action",
    "admin.action_disable": "disable",
    "admin.action_enable": "enable",
    "admin.action_password": "reset password",
    "admin.action_role": "change role and region",
    "admin.new_password": "New password (for a reset)",
    "admin.apply": "Apply",
    "admin.not_yourself": "You cannot disable or enable your own account",
    "admin.changed": "Account {name} changed (its sessions ended)",
    "admin.audit": "Audit log",
    "admin.audit_since": "Since",
    "admin.everyone": "every user",
    "admin.everything": "every action",
    "admin.when": "When",
    "admin.outcome": "Outcome",
    "admin.address": "From",
    "admin.detail": "Detail",
    "audit.login": "sign-in",
    "audit.logout": "sign-out",
    "audit.account": "account change",
    "audit.download": "download",
    "audit.upload": "upload",
    "signin.title": "Henan teacher-qualification certification dashboard · Sign in",
    "signin.name": "User name",
    "signin.password": "Password",
    "signin.submit": "Sign in",
    "signin.help": "Accounts are opened by an administrator; if you forgot your password, ask one to reset it. "
                   "Five wrong passwords in a row lock the account for 15 minutes.",
    "role.admin": "administrator",
    "role.leader": "provincial leadership",
    "role.coordinator": "regional coordinator",
    "account.signed_in": "Signed in: {name} ({role})",
    "account.sign_out": "Sign out",
    "nav.admin": "Accounts",
    "cap.projected_note": "Before registration closes ({end}), demand is the registrations so far carried to the end "
                          "at their average daily pace, to warn while windows can still be added.",
    "cap.earlier_note": "Before registration closes ({end}), demand is the registrations so far divided by the share "
                        "{label} had reached by the same point of its window (40 % then → 2.5 times so far), to warn "
                        "while windows can still be added.",
    "col.level": "Finding",
    "col.start": "Starts",
    "col.end": "Ends",
    "col.report_date": "Weekly report of",
    "col.reported": "Registered (weekly report)",
    "col.daily": "Daily registrations to that date",
    "col.difference": "Difference",
    "overview.attention_help": "One line per region: its most urgent finding first, the others after it.",
    "overview.also": "; also: {others}",
    "overview.also_silent": "; {sentence}",
    "overview.two_sources": "Regions whose two registration figures differ ({n})",
    "overview.two_sources_help": "The overview and 报名量 count registrations from the regions' daily figures; the "
                                 "weekly reports state a figure too. Listed: where they differ (difference = weekly "
                                 "report − daily sum; rejected daily rows are not counted).",
}

LEVELS = {  # what a finding's state (or the contract's level) reads as
    "done": ("已完成", "done"),
    "done_late": ("逾期完成", "finished late"),
    "on_track": ("正常", "on track"),
    "at_risk": ("有风险", "at risk"),
    "projected_late": ("预计逾期", "projected late"),
    "projected_fails": ("预计不达标", "projected to fail"),
    "overdue": ("已逾期", "overdue"),
    "late": ("已逾期", "late"),
    "fails": ("不达标", "fails the rule"),
    "late_or_fails": ("逾期/不达标", "late / fails a rule"),
    "no_data": ("无数据", "no data"),
}

MILESTONE_NAMES = {
    "R1_plan": ("实施方案先于公告", "R1 plan before announcement"),
    "R3_confirmation_length": ("现场确认≥5个工作日", "R3 confirmation length"),
    "R4_capacity": ("确认能力满足需求", "R4 confirmation capacity"),
    "R4_exam_capacity": ("体检能力满足需求", "R4 exam capacity"),
    "R5_record_checks": ("犯罪记录核查先于结论", "R5 record checks"),
    "R6_decisions": ("30个工作日内作出结论", "R6 decisions"),
    "R7_final": ("8月20日前全部完成", "R7 everything done"),
}

DEMAND_BASIS = {  # how the demand R4 judges was obtained: (word, note) in each language
    "projected": (("预计报名", "（按报名以来日均人数推算至报名结束）"),
                  ("projected applicants", " (the average daily pace so far, carried to the end of registration)")),
    "earlier": (("预计报名", "（按往期同一报名阶段已报名所占比例推算）"),
                ("projected applicants", " (from the share an earlier campaign had reached by the same point)")),
    "so_far": (("目前已报名", "（报名刚开始，尚不推算）"), ("applicants so far", " (too early to project)")),
    "registered": (("报名", ""), ("applicants", "")),
    "reported": (("周报网报", ""), ("applicants (weekly report)", "")),
}

_STAGES = {"r5": ("犯罪记录核查", "record checks", "人未核查", "not yet checked"),
           "r6": ("认定结论", "decisions", "人未作出认定结论", "still undecided"),
           "r7": ("证书发放", "certificate issue", "本证书未发放", "certificates not issued")}


def _stage_reasons() -> dict[str, tuple[str, str]]:
    """The sentences of the three progress stages (R5, R6, R7), which differ only in their nouns."""
    out = {}
    for key, (zh, en, left_zh, left_en) in _STAGES.items():
        out |= {
            f"{key}_impossible": (f"{{region}}的{zh}须在 {{due}} 前完成，但其现场确认安排到 {{start}} 才结束（开始），"
                                  f"按现有安排无法按期完成",
                                  f"{{region}}: {en} are due by {{due}}, but its confirmation is planned to "
                                  f"run until {{start}}: it cannot finish in time as planned"),
            f"{key}_silent": (f"{{region}}{zh}已应开始（{{start}}），但至今没有报送任何进度",
                              f"{{region}}: {en} should have started ({{start}}) but no progress has been reported"),
            f"{key}_silent_overdue": (f"{{region}}已过 {{due}} 的期限，至今没有报送任何{zh}进度",
                                      f"{{region}}: {{due}} has passed and no {en} progress was ever reported"),
            f"{key}_nothing_to_do": ("{region}确认期已开始，但周报中确认人数为 0", "{region}: nobody "
                                     "confirmed although confirmation has started"),
            f"{key}_done": (f"{{region}}{zh}已于 {{due}} 前完成（{{value:,}}/{{target:,}}）",
                            f"{{region}}: {en} finished before {{due}} ({{value:,}}/{{target:,}})"),
            f"{key}_done_by": (f"{{region}}{zh}已完成（{{value:,}}/{{target:,}}），见于 {{by}} 的周报"
                               f"（期限 {{due}}，周报无法判断是否在期限前完成）",
                               f"{{region}}: {en} finished ({{value:,}}/{{target:,}}), first seen in the report of "
                               f"{{by}} (due {{due}}; weekly reports cannot tell whether before it)"),
            f"{key}_done_late": (f"{{region}}{zh}已完成，但晚于 {{due}} 的期限（{{value:,}}/{{target:,}}）",
                                 f"{{region}}: {en} finished after the {{due}} deadline ({{value:,}}/{{target:,}})"),
            f"{key}_overdue": (f"{{region}}已过 {{due}} 的期限，仍有 {{left:,}} {left_zh}"
                               f"（已完成 {{value:,}}/{{target:,}}）",
                               f"{{region}}: {{due}} has passed, {{left:,}} {left_en} ({{value:,}}/{{target:,}})"),
            f"{key}_stale": (f"{{region}}自 {{data_as_of}} 之后没有再报送（已 {{silent_days}} 天），{zh}进度无法判断"
                             f"（截至 {{data_as_of}}：{{value:,}}/{{target:,}}）",
                             f"{{region}} has reported nothing since {{data_as_of}} ({{silent_days}} days): {en} "
                             f"cannot be judged ({{value:,}}/{{target:,}} as of {{data_as_of}})"),
            f"{key}_far_behind": (f"{{region}}{zh}进度远落后于按期完成所需（{{value:,}}/{{target:,}}），"
                                  f"预计无法在 {{due}} 前完成",
                                  f"{{region}}: {en} far behind what {{due}} needs ({{value:,}}/{{target:,}})"),
            f"{key}_slow_start": (f"{{region}}{zh}起步慢（{{value:,}}/{{target:,}}），尚不足以推算完成日期",
                                  f"{{region}}: {en} slow to start ({{value:,}}/{{target:,}}), too little to project"),
            f"{key}_late": (f"{{region}}{zh}预计 {{projected}} 完成，晚于 {{due}} 的期限"
                            f"（已完成 {{value:,}}/{{target:,}}）",
                            f"{{region}}: {en} projected to finish on {{projected}}, after {{due}} "
                            f"({{value:,}}/{{target:,}})"),
            f"{key}_tight": (f"{{region}}{zh}预计 {{projected}} 完成，距 {{due}} 的期限余量不足"
                             f"（{{value:,}}/{{target:,}}）",
                             f"{{region}}: {en} projected to finish on {{projected}}, close to {{due}} "
                             f"({{value:,}}/{{target:,}})"),
            f"{key}_on_track": (f"{{region}}{zh}预计 {{projected}} 完成，早于 {{due}}（{{value:,}}/{{target:,}}）",
                                f"{{region}}: {en} projected to finish on {{projected}}, before {{due}} "
                                f"({{value:,}}/{{target:,}})"),
        }
    return out


REASONS = {
    "r7_after_r6": ("{region}认定结论预计 {decisions_by} 才能全部作出，晚于 {due}；证书须在作出认定结论后发放，"
                    "因此证书发放也预计晚于 {due} 的期限（已发放 {value:,}/{target:,}）",
                    "{region}: decisions are projected to finish on {decisions_by}, after {due}; certificates "
                    "follow decisions, so issuing is projected late too ({value:,}/{target:,})"),
    "r7_after_r6_undated": ("{region}认定结论无法在 {due} 前全部作出；证书须在作出认定结论后发放，"
                            "因此证书发放也预计晚于 {due} 的期限（已发放 {value:,}/{target:,}）",
                            "{region}: decisions cannot all be made by {due}; certificates follow decisions, "
                            "so issuing is projected late too ({value:,}/{target:,})"),
    "r1_after_announcement": ("{region}于 {submitted_on} 报送实施方案，晚于其认定公告发布日 {announced_on}"
                              "（晚 {calendar_days} 天，其中 {days} 个工作日）",
                              "{region} sent its plan on {submitted_on}, after its own announcement of "
                              "{announced_on} ({calendar_days} days later, {days} of them working days)"),
    "r1_missing_after_announcement": ("{region}已于 {announced_on} 发布认定公告，但实施方案至今未报送"
                                      "（已逾期 {days} 个工作日）",
                                      "{region} announced on {announced_on} without sending its plan "
                                      "({days} working days overdue)"),
    "r1_missing_after_opening": ("{region}既未报送实施方案也未发布认定公告，而网上报名已于 {opened} 开始"
                                 "（已逾期 {days} 个工作日）",
                                 "{region} has sent no plan and published no announcement, though registration "
                                 "opened on {opened} ({days} working days overdue)"),
    "r1_returned": ("{region}的实施方案被退回修改", "{region}'s plan was returned for revision"),
    "r3_too_short": ("{region}现场确认仅{days}个工作日，少于规定的{min}个工作日",
                     "{region} confirms on only {days} working days, fewer than {min}"),
    "r3_outside_system": ("{region}现场确认安排 {start} 至 {end}，其中 {outside} 个工作日在信息系统开放时间"
                          "（至 {open_until}）之外，可用的仅 {days} 个工作日，少于规定的{min}个工作日",
                          "{region} plans confirmation {start} to {end}; {outside} working days fall after the "
                          "information system closes ({open_until}), leaving {days}, fewer than {min}"),
    "r4_over": ("{region}{basis} {demand:,} 人{basis_note}，现场确认能力仅 {capacity:,} 人"
                "（利用率 {utilisation}），需增加现场确认窗口和工作人员",
                "{region}: {basis} {demand:,}{basis_note} against a confirmation capacity of {capacity:,} "
                "({utilisation}): more windows and staff are needed"),
    "r4_tight": ("{region}现场确认能力紧张：{basis} {demand:,} 人{basis_note}，能力 {capacity:,} 人"
                 "（利用率 {utilisation}）",
                 "{region}: confirmation capacity tight, {basis} {demand:,}{basis_note} for {capacity:,} "
                 "({utilisation})"),
    "r4e_over": ("{region}{basis} {demand:,} 人{basis_note}，体检能力仅 {capacity:,} 人（利用率 {utilisation}），"
                 "需增加体检医院数量、延长体检时间",
                 "{region}: {basis} {demand:,}{basis_note} against an exam capacity of {capacity:,} "
                 "({utilisation}): more exam hospitals and longer hours are needed"),
    "r4e_tight": ("{region}体检能力紧张：{basis} {demand:,} 人{basis_note}，能力 {capacity:,} 人"
                  "（利用率 {utilisation}）",
                  "{region}: exam capacity tight, {basis} {demand:,}{basis_note} for {capacity:,} "
                  "({utilisation})"),
    "r3_no_sites": ("{region}网上报名已于 {closed} 结束，但至今未报送现场确认安排",
                    "{region}: registration closed on {closed} but no confirmation sites have been sent"),
    "r4_no_sites": ("{region}{basis} {demand:,} 人，但至今未报送现场确认安排，无法判断确认能力",
                    "{region}: {basis} {demand:,}, but no confirmation sites sent: capacity cannot be judged"),
    "r4e_no_sites": ("{region}{basis} {demand:,} 人，但至今未报送体检安排，无法判断体检能力",
                     "{region}: {basis} {demand:,}, but no exam hospitals sent: exam capacity cannot be judged"),
    "beyond_calendar": ("{region}的数据中有日期超出法定节假日日历已知的年份，此项超出可计算范围，请核对日期",
                        "{region}: a date in its data lies beyond the years the statutory calendar knows; this "
                        "cannot be computed — check the dates"),
    "r5_decisions_first": ("{region}已作出认定结论 {decided:,} 人，但犯罪记录仅核查 {checked:,} 人",
                           "{region}: {decided:,} decisions but only {checked:,} record checks"),
    **_stage_reasons(),
}

STALE_NOTE = ("（数据截至 {data_as_of}，已 {silent_days} 天未报送）",
              " (data as of {data_as_of}; nothing reported for {silent_days} days)")


RULES = {  # what each rule says, with the notice's section (reference/notice-2020-h1-zh.txt)
    "R1_plan": ("R1：各地在认定公告发布前将实施方案报送省教师资格认定注册服务中心（通知二(一)）。",
                "R1: a region sends its implementation plan to the provincial certification centre before it announces "
                "(notice 2(1))."),
    "R3_confirmation_length": ("R3：各地现场确认时间不少于 5 个工作日（通知三(二)2）。",
                               "R3: on-site confirmation lasts at least 5 working days (notice 3(2)2)."),
    "R4_capacity": ("R4：根据申请人网报人数，增加现场确认窗口和工作人员，确保在规定时间内完成现场审核工作"
                    "（通知二(二)）。",
                    "R4: according to the number registered online, add confirmation windows and staff so that "
                    "on-site checks finish within the set time (notice 2(2))."),
    "R4_exam_capacity": ("R4：申请人较多的市县要合理增加体检医院数量、延长体检时间（通知三(二)2）。",
                         "R4: regions with many applicants add exam hospitals and extend exam hours "
                         "(notice 3(2)2)."),
    "R5_record_checks": ("R5：作出认定结论之前须完成犯罪记录核查（通知三(二)1）。",
                         "R5: criminal-record checks come before any decision (notice 3(2)1)."),
    "R6_decisions": ("R6：现场确认结束后 30 个工作日内作出认定结论（通知三(二)3）。",
                     "R6: decisions within 30 working days after confirmation ends (notice 3(2)3)."),
    "R7_final": ("R7：上半年认定工作（含证书发放）于 2020 年 8 月 20 日前全部完成（通知三(二)3）。",
                 "R7: all first-half work, certificates included, done by 2020-08-20 (notice 3(2)3)."),
}

FACT_NAMES = {  # the figures behind a finding
    "submitted_on": ("方案报送日期", "plan sent on"), "announced_on": ("公告发布日期", "announced on"),
    "days": ("工作日数", "working days"), "min": ("规定最少工作日", "minimum working days"),
    "start": ("开始日期", "starts"), "end": ("结束日期", "ends"),
    "demand": ("报名人数（需求）", "applicants (demand)"), "capacity": ("确认能力", "capacity"),
    "utilisation": ("利用率", "utilisation"), "value": ("已完成", "done so far"),
    "target": ("应完成", "to do"), "due": ("应完成日期", "due"),
    "decided": ("已作出结论", "decided"), "checked": ("已核查犯罪记录", "record checks done"),
    "basis": ("需求口径", "demand counted as"), "data_as_of": ("数据截至", "data as of"),
    "silent_days": ("未报送天数", "days without a report"), "left": ("未完成", "left to do"),
    "calendar_days": ("晚报天数", "days late"), "opened": ("报名开始", "registration opened"),
    "outside": ("系统开放期外工作日", "working days outside the system's open period"),
    "open_until": ("信息系统开放至", "system open until"), "time_used": ("已用时间占比", "share of time used"),
    "projected": ("预计完成日期", "projected finish"), "by": ("见于周报", "first seen in the report of"),
    "decisions_by": ("认定结论预计完成", "decisions projected to finish"),
    "decisions_due": ("认定结论期限", "decisions due"),
}
