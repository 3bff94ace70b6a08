"""Every word a user reads, in one table: key → (Chinese, English). Keys are English.

Campaign numbers (the final date, the working days of R3 and R6, the province's defaults) are never
written here: a text names them as format fields ({final}, {min_days}, {decision_days}, …), and
texts.campaign_fields fills them from the campaign file. What stays Chinese in English: the names of
regions and sites, and what regions wrote themselves (remarks); see help.english."""

TEXTS: dict[str, tuple[str, str]] = {
    "app.title": ("河南省中小学教师资格认定工作监测", "Henan teacher-qualification certification monitor"),
    "app.short_title": ("教师资格认定工作监测", "Teacher certification monitor"),

    "nav.overview": ("总览", "Overview"),
    "nav.registrations": ("报名量", "Registrations"),
    "nav.capacity": ("现场确认产能", "Confirmation capacity"),
    "nav.risk": ("截止风险", "Deadline risk"),
    "nav.plans": ("实施方案", "Implementation plans"),
    "nav.briefing": ("周报", "Weekly briefing"),

    "sidebar.province": ("河南省（全省）", "Henan (whole province)"),
    "sidebar.campaign": ("认定批次", "Campaign"),
    "sidebar.as_of": ("截至日期", "As of"),
    "sidebar.as_of_help": ("整页按此日期计算，风险预测也按当时的数据；默认是最新数据日期",
                           "The whole page is computed as of this date, risk projections included; the default is "
                           "the latest data"),
    "sidebar.region": ("地区", "Region"),
    "sidebar.county": ("县（市、区）", "County"),
    "sidebar.whole": ("全部", "All"),
    "sidebar.language": ("语言 Language", "语言 Language"),

    "help.english": ("说明：日期选择器的日历、文件上传框的按钮和图表右上角工具栏的提示是英文的（控件自带）；"
                     "切换到 English 后，地区和确认点的名称及各地自己填写的内容（如备注）保持中文原文。",
                     "In English, the names of regions and sites and what regions wrote themselves (remarks) stay "
                     "in Chinese, as they were sent; everything else is English."),

    "link.bad_region": ("链接中的地区代码 region={value} 不存在，已显示全省。",
                        "The link's region={value} is no known region: showing the whole province."),
    "link.bad_county": ("链接中的县（市、区）代码 county={value} 不在{region}之下，已显示{region}全部。",
                        "The link's county={value} is not in {region}: showing all of {region}."),
    "link.bad_as_of": ("链接中的日期 as_of={value} 无效（应为 {first} 至 {last} 之间的日期，写作 年-月-日），"
                       "已改用最新数据日期 {default}。",
                       "The link's as_of={value} is not a date from {first} to {last} (written year-month-day): "
                       "showing the latest data, {default}."),
    "link.bad_lang": ("链接中的语言 lang={value} 无法识别（可用 zh 或 en），已显示中文。",
                      "The link's lang={value} is unknown (zh or en): showing Chinese."),

    "scope.province": ("全省", "Henan"),
    "scope.rolled_up": ("{county}的实施方案由{city}报送，这里显示{city}的。确认能力、确认天数和认定进度："
                        "{county}若报送了自己的确认点，按{county}自身判断；否则计入{city}的确认点，显示{city}的。",
                        "{county}'s plan is sent by {city}, and {city}'s is shown. Capacity, confirmation days and "
                        "progress: judged for {county} itself if it sent confirmation sites of its own, otherwise "
                        "counted on {city}'s sites and shown as {city}'s."),

    "title.scope": ("{region} · 截至 {as_of}", "{region} · as of {as_of}"),
    "table.region": ("地区：{region}", "Region: {region}"),
    "table.as_of": ("截至：{as_of}", "As of: {as_of}"),
    "source": ("数据来源：各地报送 · 截至 {as_of}", "Source: regions' submissions · as of {as_of}"),

    "metric.registered": ("网报人数", "Registered online"),
    "metric.confirmed_rate": ("现场确认完成率", "Confirmed on site"),
    "metric.decided_rate": ("认定结论完成率", "Decided"),
    "metric.issued_rate": ("证书发放率", "Certificates issued"),
    "metric.plans_of": ("{region}实施方案已报送", "Plans received ({region})"),
    "metric.plans": ("实施方案已报送", "Plans received"),
    "metric.days_left": ("距 {final_md} 剩余工作日", "Work days to {final_md}"),
    "metric.registered_help": ("按各地报送的每日报名数汇总（与报名量页相同）；下方为较上周的变化",
                               "Summed from the regions' daily registration figures (as on 报名量); below, the "
                               "change since last week"),

    "freshness.line": ("最近收到文件：{received}；本周（{week}，省定每{report_day}报送）尚未报送进度的地区：{missing}",
                       "Last file received: {received}; no progress report yet for this week ({week}; the province "
                       "asks for one each {report_day}): {missing}"),
    "freshness.none_missing": ("无", "none"),

    "overview.attention": ("需要关注", "Needs attention"),
    "overview.attention_details": ("需要关注：逐条说明（{n} 个地区）",
                                   "Needs attention: the findings in full ({n} regions)"),
    "overview.county_note": ("{county}：上方的网报人数和各项完成率是{county}自己报送的数据；实施方案由{city}报送，"
                             "需要关注、地图上的风险和下方的各地区截止风险是{city}的判断。",
                             "{county}: the registrations and rates above are {county}'s own reports; its plan is "
                             "sent by {city}, and what needs attention, the map's risk and the deadline risk below "
                             "are {city}'s."),
    "overview.two_sources_table": ("网报人数的两个来源", "Registrations from two sources"),
    "overview.more": ("{first}等 {n} 项", "{first} and more ({n} in all)"),
    "overview.attention_none": ("目前没有需要关注的地区。", "No region needs attention now."),
    "overview.by_region": ("各地区截止风险", "Deadline risk by region"),
    "overview.attention_help": ("每个地区一行：最紧急的问题在前，其余问题随后列出。",
                                "One line per region: its most urgent finding first, the others after it."),
    "overview.also": ("；另有：{others}", "; also: {others}"),
    "overview.also_silent": ("；{sentence}", "; {sentence}"),
    "overview.two_sources": ("网报人数的两个来源不一致的地区（{n} 个）",
                             "Regions whose two registration figures differ ({n})"),
    "overview.two_sources_help": ("总览和报名量的网报人数按各地报送的每日报名数汇总；各地周报中也填报了网报人数。"
                                  "下表列出两者不一致的地区，差异 = 周报 − 逐日合计（逐日数据中被拒收的行不计入）。",
                                  "The overview and 报名量 count registrations from the regions' daily figures; the "
                                  "weekly reports state a figure too. Listed: where they differ (difference = weekly "
                                  "report − daily sum; rejected daily rows are not counted)."),

    "stale.badge": ("停报", "stopped reporting"),
    "stale.since": ("{region}自 {last} 之后没有再报送进度周报（已缺 {n} 次，最近一次应报 {due}）",
                    "{region} has sent no weekly progress report since {last} ({n} missed, the latest due {due})"),
    "stale.never": ("{region}至今没有报送进度周报（已缺 {n} 次，最近一次应报 {due}）",
                    "{region} has sent no weekly progress report yet ({n} missed, the latest due {due})"),

    "map.measure": ("地图显示", "Map shows"),
    "map.risk": ("截止风险（最差环节）", "Deadline risk (worst milestone)"),
    "map.registrations": ("网报人数", "Registrations"),
    "map.per_10k": ("每万人口网报人数", "Registrations per 10,000 people"),
    "map.confirmed_rate": ("现场确认完成率", "On-site confirmation done"),
    "map.utilisation": ("确认点产能利用率", "Confirmation-site utilisation"),
    "map.hint": ("点击地图上的地区，查看它下属的县（市、区）。", "Click a region on the map to see its counties."),
    "map.hint_county": ("点击县（市、区）查看其数据；左侧可返回全市或全省。",
                        "Click a county to see its figures; the sidebar goes back to the city or province."),
    "map.back": ("返回全省", "Back to the province"),
    "overview.standing": ("对比：全省网报 {total:,} 人，同级 {peers} 个地区平均 {average:,} 人；"
                          "{region}网报 {mine:,} 人，在其中排第 {rank} 位（不列出其他地区的数字）",
                          "Compared: the province has {total:,} registrations, the {peers} regions at this level "
                          "{average:,} on average; {region} has {mine:,}, rank {rank} (other regions are not named)"),
    "map.jili": ("吉利区已于 2021 年并入孟津区，现有边界数据中没有它 2020 年的单独边界，地图上与孟津县合为一块，"
                 "数值为两者之和。",
                 "吉利区 merged into 孟津区 in 2021 and has no separate 2020 boundary in the data: it is drawn with "
                 "孟津县, and the figures are their sum."),
    "map.no_data": ("无数据", "no data"),

    "reg.rank_per_10k_title": ("每万人口网报人数排名", "Registrations per 10,000 people"),
    "reg.daily_title": ("每日网报人数", "Registrations per day"),
    "reg.curve": ("网报人数曲线", "Registrations curve"),
    "reg.daily": ("每日", "Per day"),
    "reg.cumulative": ("累计", "Cumulative"),
    "reg.rank_by": ("排名依据", "Rank by"),
    "reg.by_count": ("网报人数", "Registrations"),
    "reg.by_rate": ("每万人口", "Per 10,000 people"),
    "reg.cumulative_title": ("累计网报人数", "Cumulative registrations"),
    "reg.kind_title": ("网报人数按资格种类", "Registrations by qualification"),
    "reg.rank_title": ("各地网报人数排名", "Registrations by region"),
    "reg.window": ("网上报名时间", "Online registration"),
    "reg.outside": ("报名时间以外报送的报名数", "Registrations reported outside the window"),
    "reg.source_note": ("按各地报送的每日报名数汇总（被拒收的行不计入）；与总览的网报人数口径相同；"
                        "周报中填报的网报人数与此不一致的地区列在总览中。",
                        "Summed from the regions' daily registration figures (rejected rows left out); the same "
                        "figure as the overview's; regions whose weekly reports state another are listed there."),
    "reg.holiday": ("节假日", "Public holiday"),
    "reg.compare": ("与其他批次对比", "Compared with another campaign"),
    "reg.compare_none": ("仓库中没有其他认定批次的报名数据。导入另一批次的报名数据、并在 data/campaigns/ "
                         "中放入该批次的配置文件后，这里会按“报名第几天”对比两个批次的累计网报人数。",
                         "No other campaign's registrations are in the warehouse. Load them and put that campaign's "
                         "file in data/campaigns/: this compares cumulative registrations day by day from opening."),
    "reg.compare_with": ("对比批次", "Compare with"),
    "reg.compare_day": ("报名第几天（第 1 天 = 报名首日）", "Day of registration (1 = opening day)"),
    "reg.compare_cumulative": ("累计网报人数", "Cumulative registrations"),
    "reg.compare_title": ("累计网报人数：本批次与{other}", "Cumulative registrations: this campaign and {other}"),
    "reg.rate_left_out": ("{names}的人口为估算，未参与每万人口排名。",
                          "The populations of {names} are estimates: not ranked per 10,000 people."),
    "reg.no_rate_counties": ("县级人口为估算（按所属市普查人口分摊），在载入县级普查人口之前不按每万人口排名。",
                             "County populations are estimates (shares of the city's census figure): counties are "
                             "not ranked per 10,000 people until census figures are loaded."),

    "cap.title": ("现场确认：报名人数与确认能力", "Confirmation: demand and capacity"),
    "cap.exam_title": ("体检：报名人数与体检能力", "Medical exams: demand and capacity"),
    "cap.over": ("报名人数超过确认能力", "Applicants above capacity"),
    "cap.demand": ("报名人数（需求）", "Applicants (demand)"),
    "cap.capacity": ("确认能力", "Confirmation capacity"),
    "cap.utilisation": ("产能利用率", "Utilisation"),
    "cap.r3": ("确认工作日（R3 要求 ≥{min_days}）", "Confirmation working days (R3: at least {min_days})"),
    "cap.exam_capacity": ("体检能力", "Exam capacity"),
    "cap.whatif": ("调整测算", "What if"),
    "cap.whatif_region": ("测算地区", "Region"),
    "cap.whatif_windows": ("增加窗口数", "Add windows"),
    "cap.whatif_days": ("延长工作日", "Add working days"),
    "cap.whatif_rate": ("每窗口每日多确认", "More per window per day"),
    "cap.whatif_result": ("调整后：确认能力 {capacity:,} 人，利用率 {utilisation:.0%}，排队在 {clear} 清空（确认期到 "
                          "{end} 结束）",
                          "Then: capacity {capacity:,}, utilisation {utilisation:.0%}, queue clears on {clear} "
                          "(confirmation ends {end})"),
    "cap.whatif_now": ("按现有安排：确认能力 {capacity:,} 人，利用率 {utilisation:.0%}，排队在 {clear} "
                       "清空（确认期到 {end} 结束）。可在上面增加窗口、天数或每窗口确认量试算。",
                       "As planned: capacity {capacity:,}, utilisation {utilisation:.0%}, queue clears on {clear} "
                       "(confirmation ends {end}). Add windows, days or throughput above to try."),
    "cap.whatif_after": ("排队清空晚于确认期结束（{end}）：按此安排，确认期内确认不完。",
                         "The queue clears after confirmation ends ({end}): as planned, not everyone is confirmed in "
                         "time."),
    "cap.whatif_never": ("调整后仍无确认能力", "Still no confirmation capacity"),
    "cap.assumption": ("幼儿园、小学、初级中学由县级认定：报送了自己确认点（体检医院）的县（市、区）"
                       "按其自身的确认点和报名人数单独判断；未报送确认点的县，其申请人计入所属省辖市的确认点（假定）"
                       "。高级中学和中职类由市级确认点确认。",
                       "Kindergarten, primary and junior-secondary qualifications are certified by counties: a "
                       "county that sent confirmation sites (exam hospitals) of its own is judged on its own sites "
                       "and applicants; the applicants of a county that sent none are counted on its city's sites "
                       "(an assumption). Senior-secondary and vocational kinds are confirmed at the city's sites."),
    "cap.basis": ("需求口径", "Demand counted as"),
    "cap.exam_over": ("报名人数超过体检能力", "Applicants above exam capacity"),
    "cap.defaults": ("确认点未填每窗口日确认量的，按省定默认值每窗口每日 {per_window} 人计算；能力利用率超过 "
                     "{tight:.0%} 记为有风险（均为省里的设置，见活动配置文件，不是通知的规定）。",
                     "Sites that leave the per-window rate blank count {per_window} per window per day; utilisation "
                     "above {tight:.0%} is at risk (both the province's settings in the campaign file, not the "
                     "notice's rules)."),
    "cap.projected_note": ("报名截止（{end}）前，需求按报名以来日均人数推算至报名结束，以便在还能增加窗口时预警。",
                           "Before registration closes ({end}), demand is the registrations so far carried to the "
                           "end at their average daily pace, to warn while windows can still be added."),
    "cap.earlier_note": ("报名截止（{end}）前，需求按{label}同一报名阶段已报名人数所占比例推算（如往期此时已报 40%，"
                         "则预计报名为目前已报名人数的 2.5 倍），以便在还能增加窗口时预警。",
                         "Before registration closes ({end}), demand is the registrations so far divided by the "
                         "share {label} had reached by the same point of its window (40 % then → 2.5 times so far), "
                         "to warn while windows can still be added."),

    "risk.hover": ("应完成 {due}<br>预计 {projected}<br>余量 {slack} 个工作日",
                   "Due {due}<br>Projected {projected}<br>Slack {slack} working days"),
    "risk.title": ("截止风险", "Deadline risk"),
    "risk.pick": ("选择地区和环节查看依据", "Choose a region and milestone to see why"),
    "risk.detail": ("{region} · {milestone}：应完成 {due}，按S形进度推算预计 {projected}，余量 {slack} 个工作日",
                    "{region} · {milestone}: due {due}, projected on the S-shaped curve {projected}, slack {slack} "
                    "working days"),
    "risk.detail_dated": ("{region} · {milestone}：须早于本地区认定公告发布日 {due}，实际报送 {projected}，余量 "
                          "{slack} 个工作日",
                          "{region} · {milestone}: before the region's own announcement of {due}; sent {projected}, "
                          "slack {slack} working days"),
    "risk.detail_r3": ("{region}现场确认 {start} 至 {end}，共 {days} 个工作日（规定不少于 {min} 个工作日）",
                       "{region} confirms from {start} to {end}: {days} working days (at least {min} required)"),
    "risk.pace_title": ("{milestone}：实际进度与按期完成所需进度", "{milestone}: progress against the pace needed"),
    "risk.actual": ("实际进度", "Reported"),
    "risk.required": ("按期完成所需进度", "Pace needed to finish on time"),
    "risk.click": ("点击热力图中的格子，下方即显示该地区该环节的规则和数据。",
                   "Click a cell of the heatmap to see the rule and the figures behind it below."),
    "risk.figure": ("依据", "Figure"),
    "risk.value": ("数值", "Value"),
    "risk.not_applicable": ("此规则不适用于该单位", "This rule does not apply to this unit"),
    "risk.not_applicable_detail": ("{milestone}不适用于{region}（实施方案由报送单位报送；"
                                   "体检能力按报送了体检医院的单位计算）。",
                                   "{milestone} does not apply to {region} (plans are sent by reporting regions; "
                                   "exam capacity is judged for units that sent exam hospitals)."),
    "risk.states": ("已完成：按期完成 · 逾期完成：已完成但晚于期限 · 正常 · 有风险：余量不足、停滞、"
                    "停报或进度太少尚无法推算 · 预计逾期：期限未到，按S形进度推算将晚于期限 · 已逾期："
                    "期限已过仍未完成 · 不达标：违反非期限类规则（R3、R4、R5）。",
                    "done: finished in time · finished late · on track · at risk: little slack, stalled, silent or "
                    "too little done to project · projected late: due date ahead, the S-shaped projection misses it "
                    "· overdue: due date passed, not finished · fails: a rule that is not a date broken (R3, R4, R5)."),

    "plans.not_received": ("未收到", "not received"),
    "plans.title": ("实施方案报送情况", "Implementation plans"),
    "plans.timeline": ("工作时间线", "Timeline"),
    "plans.todo": ("尚未报送或需修改实施方案的地区（可复制）", "Regions still to send or revise their plan (copyable)"),
    "plans.todo_item": ("{region}（{status}）", "{region} ({status})"),
    "plans.remarks": ("备注全文", "Remarks in full"),
    "plans.todo_none": ("所有地区均已报送实施方案。", "Every region has sent its plan."),

    "stage.plan": ("方案报送→公告", "Plan → announcement"),
    "stage.registration": ("网上报名", "Online registration"),
    "stage.confirmation": ("现场确认", "On-site confirmation"),
    "stage.decisions": ("认定结论（{decision_days}个工作日内）", "Decisions (within {decision_days} working days)"),
    "stage.certificates": ("全部完成时限", "Final date"),

    "col.milestone": ("环节", "Milestone"),
    "col.population": ("人口（2020年普查，县级为估算）", "Population (2020 census; counties estimated)"),
    "col.date": ("日期", "Date"),
    "col.qualification": ("资格种类", "Qualification"),
    "col.per_10k": ("每万人口网报人数", "Registrations per 10,000 people"),
    "col.due": ("应完成日期", "Due"),
    "col.projected": ("预计完成日期", "Projected"),
    "col.slack": ("余量（工作日）", "Slack (working days)"),
    "col.finding": ("说明", "Finding"),
    "col.confirmed": ("现场确认人数", "Confirmed"),
    "col.checked": ("已核查犯罪记录", "Record checks done"),
    "col.decided": ("已作出认定结论", "Decided"),
    "col.issued": ("已发放证书", "Certificates issued"),
    "col.stage": ("阶段", "Stage"),
    "col.region": ("地区", "Region"),
    "col.status": ("方案状态", "Plan status"),
    "col.submitted": ("报送日期", "Sent on"),
    "col.announced": ("公告日期", "Announced on"),
    "col.before": ("公告前报送", "Sent before announcing"),
    "col.overdue": ("逾期工作日", "Working days overdue"),
    "col.remark": ("备注", "Remark"),
    "col.level": ("判定", "Finding"),
    "col.start": ("开始日期", "Starts"),
    "col.end": ("结束日期", "Ends"),
    "col.report_date": ("周报日期", "Weekly report of"),
    "col.reported": ("周报网报人数", "Registered (weekly report)"),
    "col.daily": ("逐日报名合计（至周报日）", "Daily registrations to that date"),
    "col.difference": ("差异", "Difference"),

    "view.table": ("表格", "Table"),
    "view.chart": ("图表", "Chart"),

    "download.csv": ("下载 CSV", "Download CSV"),
    "download.xlsx": ("下载 Excel", "Download Excel"),

    "empty.warehouse": ("还没有导入任何数据。请把各地报送的文件放进一个文件夹，运行 `python -m etl load "
                        "文件夹`（演示：`make run` 会自动生成并导入演示数据）。",
                        "No data loaded yet. Put the regions' files in a folder and run `python -m etl load FOLDER` "
                        "(demo: `make run` writes and loads demo data)."),
    "empty.scope": ("{region}在 {as_of} 之前还没有报送这类数据。",
                    "{region} has sent no data of this kind before {as_of}."),

    "error.no_context": ("页面还没有准备好，请点左侧的页面名称或刷新浏览器。",
                         "The page is not ready yet: click a page name on the left or reload the browser."),
    "error.friendly": ("页面出错了，请刷新重试；如果反复出现，请把截图发给技术人员。",
                       "Something went wrong on this page. Reload to try again; if it keeps happening, send a "
                       "screenshot to the technical team."),

    "sep.list": ("、", ", "),
    "unknown": ("未知", "unknown"),

    "yes": ("是", "yes"),

    "no": ("否", "no"),

    "level.done": ("已完成", "done"),
    "level.done_late": ("逾期完成", "finished late"),
    "level.on_track": ("正常", "on track"),
    "level.at_risk": ("有风险", "at risk"),
    "level.projected_late": ("预计逾期", "projected late"),
    "level.projected_fails": ("预计不达标", "projected to fail"),
    "level.overdue": ("已逾期", "overdue"),
    "level.late": ("已逾期", "late"),
    "level.fails": ("不达标", "fails"),
    "level.late_or_fails": ("逾期/不达标", "late / fails a rule"),
    "level.no_data": ("无数据", "no data"),

    "milestone.R1_plan": ("实施方案先于公告", "R1 plan before announcement"),
    "milestone.R3_confirmation_length": ("现场确认≥{min_days}个工作日", "R3 confirmation ≥{min_days} working days"),
    "milestone.R4_capacity": ("确认能力满足需求", "R4 confirmation capacity"),
    "milestone.R4_exam_capacity": ("体检能力满足需求", "R4 exam capacity"),
    "milestone.R5_record_checks": ("犯罪记录核查先于结论", "R5 record checks"),
    "milestone.R6_decisions": ("{decision_days}个工作日内作出结论", "R6 decisions in {decision_days} working days"),
    "milestone.R7_final": ("{final_month}月{final_day}日前全部完成", "R7 all done by {final_md}"),

    "milestone_short.R1_plan": ("实施方案", "plan"),
    "milestone_short.R3_confirmation_length": ("确认天数", "confirmation days"),
    "milestone_short.R4_capacity": ("确认能力", "confirmation capacity"),
    "milestone_short.R4_exam_capacity": ("体检能力", "exam capacity"),
    "milestone_short.R5_record_checks": ("犯罪记录核查", "record checks"),
    "milestone_short.R6_decisions": ("认定结论", "decisions"),
    "milestone_short.R7_final": ("全部完成", "all done"),

    "basis.projected": ("预计报名", "projected applicants"),
    "basis.earlier": ("预计报名", "projected applicants"),
    "basis.so_far": ("目前已报名", "applicants so far"),
    "basis.registered": ("报名", "applicants"),
    "basis.reported": ("周报网报", "applicants (weekly report)"),

    "basis_note.projected": ("（按报名以来日均人数推算至报名结束）",
                             " (the average daily pace so far, carried to the end of registration)"),
    "basis_note.earlier": ("（按往期同一报名阶段已报名所占比例推算）",
                           " (from the share an earlier campaign had reached by the same point)"),
    "basis_note.so_far": ("（报名刚开始，尚不推算）", " (too early to project)"),
    "basis_note.registered": ("", ""),
    "basis_note.reported": ("", ""),

    "rule.R1_plan": ("R1：各地在认定公告发布前将实施方案报送省教师资格认定注册服务中心（通知二(一)）。",
                     "R1: a region sends its implementation plan to the provincial certification centre before it "
                     "announces (notice 2(1))."),
    "rule.R3_confirmation_length": ("R3：各地现场确认时间不少于 {min_days} 个工作日（通知三(二)2）。",
                                    "R3: on-site confirmation lasts at least {min_days} working days (notice 3(2)2)."),
    "rule.R4_capacity": ("R4：根据申请人网报人数，增加现场确认窗口和工作人员，"
                         "确保在规定时间内完成现场审核工作（通知二(二)）。",
                         "R4: according to the number registered online, add confirmation windows and staff so that "
                         "on-site checks finish within the set time (notice 2(2))."),
    "rule.R4_exam_capacity": ("R4：申请人较多的市县要合理增加体检医院数量、延长体检时间（通知三(二)2）。",
                              "R4: regions with many applicants add exam hospitals and extend exam hours (notice 3(2)"
                              "2)."),
    "rule.R5_record_checks": ("R5：作出认定结论之前须完成犯罪记录核查（通知三(二)1）。",
                              "R5: criminal-record checks come before any decision (notice 3(2)1)."),
    "rule.R6_decisions": ("R6：现场确认结束后 {decision_days} 个工作日内作出认定结论（通知三(二)3）。",
                          "R6: decisions within {decision_days} working days after confirmation ends (notice 3(2)3)."),
    "rule.R7_final": ("R7：本批次认定工作（含证书发放）于 {final} 前全部完成（通知三(二)3）。",
                      "R7: all of the campaign's work, certificates included, done by {final} (notice 3(2)3)."),

    "fact.submitted_on": ("方案报送日期", "plan sent on"),
    "fact.announced_on": ("公告发布日期", "announced on"),
    "fact.days": ("工作日数", "working days"),
    "fact.min": ("规定最少工作日", "minimum working days"),
    "fact.start": ("开始日期", "starts"),
    "fact.end": ("结束日期", "ends"),
    "fact.demand": ("报名人数（需求）", "applicants (demand)"),
    "fact.capacity": ("确认能力", "capacity"),
    "fact.utilisation": ("利用率", "utilisation"),
    "fact.value": ("已完成", "done so far"),
    "fact.target": ("应完成", "to do"),
    "fact.due": ("应完成日期", "due"),
    "fact.decided": ("已作出结论", "decided"),
    "fact.checked": ("已核查犯罪记录", "record checks done"),
    "fact.basis": ("需求口径", "demand counted as"),
    "fact.data_as_of": ("数据截至", "data as of"),
    "fact.silent_days": ("未报送天数", "days without a report"),
    "fact.left": ("未完成", "left to do"),
    "fact.calendar_days": ("晚报天数", "days late"),
    "fact.opened": ("报名开始", "registration opened"),
    "fact.outside": ("系统开放期外工作日", "working days outside the system's open period"),
    "fact.open_until": ("信息系统开放至", "system open until"),
    "fact.time_used": ("已用时间占比", "share of time used"),
    "fact.projected": ("预计完成日期", "projected finish"),
    "fact.by": ("见于周报", "first seen in the report of"),
    "fact.decisions_by": ("认定结论预计完成", "decisions projected to finish"),
    "fact.decisions_due": ("认定结论期限", "decisions due"),

    "reason.stale_note": ("（数据截至 {data_as_of}，已 {silent_days} 天未报送）",
                          " (data as of {data_as_of}; nothing reported for {silent_days} days)"),
    "reason.r7_after_r6": ("{region}认定结论预计 {decisions_by} 才能全部作出，晚于 {due}；"
                           "证书须在作出认定结论后发放，因此证书发放也预计晚于 {due} 的期限（已发放 "
                           "{value:,}/{target:,}）",
                           "{region}: decisions are projected to finish on {decisions_by}, after {due}; certificates "
                           "follow decisions, so issuing is projected late too ({value:,}/{target:,})"),
    "reason.r7_after_r6_undated": ("{region}认定结论无法在 {due} 前全部作出；证书须在作出认定结论后发放，"
                                   "因此证书发放也预计晚于 {due} 的期限（已发放 {value:,}/{target:,}）",
                                   "{region}: decisions cannot all be made by {due}; certificates follow decisions, "
                                   "so issuing is projected late too ({value:,}/{target:,})"),
    "reason.r1_after_announcement": ("{region}于 {submitted_on} 报送实施方案，晚于其认定公告发布日 "
                                     "{announced_on}（晚 {calendar_days} 天，其中 {days} 个工作日）",
                                     "{region} sent its plan on {submitted_on}, after its own announcement of "
                                     "{announced_on} ({calendar_days} days later, {days} of them working days)"),
    "reason.r1_missing_after_announcement": ("{region}已于 {announced_on} 发布认定公告，但实施方案至今未报送（已逾期 "
                                             "{days} 个工作日）",
                                             "{region} announced on {announced_on} without sending its plan ({days} "
                                             "working days overdue)"),
    "reason.r1_missing_after_opening": ("{region}既未报送实施方案也未发布认定公告，而网上报名已于 {opened} "
                                        "开始（已逾期 {days} 个工作日）",
                                        "{region} has sent no plan and published no announcement, though "
                                        "registration opened on {opened} ({days} working days overdue)"),
    "reason.r1_returned": ("{region}的实施方案被退回修改", "{region}'s plan was returned for revision"),
    "reason.r3_too_short": ("{region}现场确认仅{days}个工作日，少于规定的{min}个工作日",
                            "{region} confirms on only {days} working days, fewer than {min}"),
    "reason.r3_outside_system": ("{region}现场确认安排 {start} 至 {end}，其中 {outside} "
                                 "个工作日在信息系统开放时间（至 {open_until}）之外，可用的仅 {days} 个工作日，"
                                 "少于规定的{min}个工作日",
                                 "{region} plans confirmation {start} to {end}; {outside} working days fall after "
                                 "the information system closes ({open_until}), leaving {days}, fewer than {min}"),
    "reason.r4_over": ("{region}{basis} {demand:,} 人{basis_note}，现场确认能力仅 {capacity:,} 人（利用率 "
                       "{utilisation}），需增加现场确认窗口和工作人员",
                       "{region}: {basis} {demand:,}{basis_note} against a confirmation capacity of {capacity:,} "
                       "({utilisation}): more windows and staff are needed"),
    "reason.r4_tight": ("{region}现场确认能力紧张：{basis} {demand:,} 人{basis_note}，能力 {capacity:,} 人（利用率 "
                        "{utilisation}）",
                        "{region}: confirmation capacity tight, {basis} {demand:,}{basis_note} for {capacity:,} "
                        "({utilisation})"),
    "reason.r4e_over": ("{region}{basis} {demand:,} 人{basis_note}，体检能力仅 {capacity:,} 人（利用率 "
                        "{utilisation}），需增加体检医院数量、延长体检时间",
                        "{region}: {basis} {demand:,}{basis_note} against an exam capacity of {capacity:,} "
                        "({utilisation}): more exam hospitals and longer hours are needed"),
    "reason.r4e_tight": ("{region}体检能力紧张：{basis} {demand:,} 人{basis_note}，能力 {capacity:,} 人（利用率 "
                         "{utilisation}）",
                         "{region}: exam capacity tight, {basis} {demand:,}{basis_note} for {capacity:,} "
                         "({utilisation})"),
    "reason.r3_no_sites": ("{region}网上报名已于 {closed} 结束，但至今未报送现场确认安排",
                           "{region}: registration closed on {closed} but no confirmation sites have been sent"),
    "reason.r4_no_sites": ("{region}{basis} {demand:,} 人，但至今未报送现场确认安排，无法判断确认能力",
                           "{region}: {basis} {demand:,}, but no confirmation sites sent: capacity cannot be judged"),
    "reason.r4e_no_sites": ("{region}{basis} {demand:,} 人，但至今未报送体检安排，无法判断体检能力",
                            "{region}: {basis} {demand:,}, but no exam hospitals sent: exam capacity cannot be judged"),
    "reason.beyond_calendar": ("{region}的数据中有日期超出法定节假日日历已知的年份，此项超出可计算范围，请核对日期",
                               "{region}: a date in its data lies beyond the years the statutory calendar knows; "
                               "this cannot be computed — check the dates"),
    "weekday.0": ("周一", "Monday"),
    "weekday.1": ("周二", "Tuesday"),
    "weekday.2": ("周三", "Wednesday"),
    "weekday.3": ("周四", "Thursday"),
    "weekday.4": ("周五", "Friday"),
    "weekday.5": ("周六", "Saturday"),
    "weekday.6": ("周日", "Sunday"),

    # words that come from the data: qualification kinds and plan statuses as the contract spells them
    "qualification.幼儿园": ("幼儿园", "Kindergarten"),
    "qualification.小学": ("小学", "Primary school"),
    "qualification.初级中学": ("初级中学", "Junior secondary"),
    "qualification.高级中学": ("高级中学", "Senior secondary"),
    "qualification.中等职业学校文化课": ("中等职业学校文化课", "Vocational school, general subjects"),
    "qualification.中等职业学校专业课": ("中等职业学校专业课", "Vocational school, specialised subjects"),
    "qualification.中等职业学校实习指导": ("中等职业学校实习指导", "Vocational school, practical instruction"),
    "status.已报送": ("已报送", "sent"),
    "status.已备案": ("已备案", "filed"),
    "status.退回修改": ("退回修改", "returned for revision"),
    "status.未报送": ("未报送", "not sent"),

    # accounts and access (access/, pages/admin.py)
    "admin.only": ("只有管理员可以使用账户管理。",
                  "Only an administrator can manage accounts."),
    "admin.title": ("账户管理",
                   "Accounts"),
    "admin.name": ("用户名",
                  "User name"),
    "admin.role": ("角色",
                  "Role"),
    "admin.region": ("地区",
                    "Region"),
    "admin.state": ("状态",
                   "State"),
    "admin.disabled": ("已停用",
                      "disabled"),
    "admin.locked": ("已锁定",
                    "locked"),
    "admin.active": ("正常",
                    "active"),
    "admin.add": ("新建账户",
                 "Add an account"),
    "admin.region_for_coordinator": ("地区（仅地区联络员）",
                                    "Region (coordinators only)"),
    "admin.password": ("密码",
                      "Password"),
    "admin.password_again": ("再输一次密码",
                            "Password again"),
    "admin.mismatch": ("两次输入的密码不一致",
                      "The two passwords differ"),
    "admin.added": ("已新建账户 {name}",
                   "Account {name} added"),
    "admin.change": ("更改账户",
                    "Change an account"),
    "admin.action": ("操作",
                    "Action"),
    "admin.action_disable": ("停用",
                            "disable"),
    "admin.action_enable": ("启用",
                           "enable"),
    "admin.action_password": ("重设密码",
                             "reset password"),
    "admin.action_role": ("更改角色和地区",
                         "change role and region"),
    "admin.new_password": ("新密码（重设密码时）",
                          "New password (for a reset)"),
    "admin.apply": ("执行",
                   "Apply"),
    "admin.not_yourself": ("不能停用或启用自己的账户",
                          "You cannot disable or enable your own account"),
    "admin.changed": ("已更改账户 {name}（其登录已失效）",
                     "Account {name} changed (its sessions ended)"),
    "admin.audit": ("操作记录",
                   "Audit log"),
    "admin.audit_since": ("自",
                         "Since"),
    "admin.everyone": ("全部用户",
                      "every user"),
    "admin.everything": ("全部操作",
                        "every action"),
    "admin.when": ("时间",
                  "When"),
    "admin.outcome": ("结果",
                     "Outcome"),
    "admin.address": ("来源地址",
                     "From"),
    "admin.detail": ("说明",
                    "Detail"),
    "audit.login": ("登录",
                   "sign-in"),
    "audit.logout": ("退出",
                    "sign-out"),
    "audit.account": ("账户变更",
                     "account change"),
    "audit.download": ("下载",
                      "download"),
    "audit.upload": ("上传",
                    "upload"),
    "signin.title": ("河南省教师资格认定工作看板 · 登录",
                    "Henan teacher-qualification certification dashboard · Sign in"),
    "signin.name": ("用户名",
                   "User name"),
    "signin.password": ("密码",
                       "Password"),
    "signin.submit": ("登录",
                     "Sign in"),
    "signin.help": ("账户由管理员开通；忘记密码请联系省教师资格认定注册服务中心的管理员重设。"
                    "连续输错 5 次将锁定 15 分钟。",
                    "Accounts are opened by an administrator; if you forgot your password, ask one to reset it. "
                    "Five wrong passwords in a row lock the account for 15 minutes."),
    "role.admin": ("管理员",
                  "administrator"),
    "role.leader": ("省级领导",
                   "provincial leadership"),
    "role.coordinator": ("地区联络员",
                        "regional coordinator"),
    "account.signed_in": ("已登录：{name}（{role}）",
                         "Signed in: {name} ({role})"),
    "account.sign_out": ("退出登录",
                        "Sign out"),
    "nav.admin": ("账户管理",
                 "Accounts"),

    # the weekly briefing (briefing/, pages/briefing.py)
    "briefing.title": ("河南省中小学教师资格认定工作周报", "Henan teacher-certification weekly briefing"),
    "briefing.subtitle": ("{region} · 截至 {as_of}", "{region} · as of {as_of}"),
    "briefing.province": ("全省", "Henan"),
    "briefing.scope_line": ("{region} · 截至 {as_of}", "{region} · as of {as_of}"),
    "briefing.source": ("数据来源：各地报送，河南省中小学教师资格认定工作监测 · 截至 {as_of}",
               "Source: regions' submissions, Henan teacher-certification monitor · as of {as_of}"),
    "briefing.summary": ("工作概述", "Summary"),
    "briefing.headline": ("主要指标", "Headline figures"),
    "briefing.figure": ("指标", "Figure"),
    "briefing.now": ("本周", "This week"),
    "briefing.change": ("较上周", "Since last week"),
    "briefing.table_of": ("{what}：数据", "{what}: figures"),
    "briefing.figure_no": ("图{n}　{what}", "Figure {n}. {what}"),
    # headline figures
    "briefing.registered": ("网报人数", "Registered online"),
    "briefing.confirmed_rate": ("现场确认完成率", "Confirmed on site"),
    "briefing.decided_rate": ("认定结论完成率", "Decided"),
    "briefing.issued_rate": ("证书发放率", "Certificates issued"),
    "briefing.plans": ("实施方案已报送", "Plans received"),
    "briefing.days_left": ("距 {final} 剩余工作日", "Working days to {final}"),
    "briefing.points": ("{value:+.1f} 个百分点", "{value:+.1f} pt"),
    # charts: what each shows
    "briefing.map.risk": ("各地截止风险（最差环节）", "Deadline risk by region (worst milestone)"),
    "briefing.map.registrations": ("各地网报人数", "Registrations by area"),
    "briefing.curve": ("累计网报人数", "Cumulative registrations"),
    "briefing.curve.window": ("网上报名时间", "Online registration"),
    "briefing.curve.outside": ("报名时间以外报送的报名数", "Reported outside the window"),
    "briefing.capacity": ("现场确认：报名人数与确认能力（利用率最高的{n}个单位）",
                 "On-site confirmation: demand and capacity ({n} busiest units)"),
    "briefing.capacity.all": ("现场确认：报名人数与确认能力", "On-site confirmation: demand and capacity"),
    "briefing.capacity.demand": ("报名人数（需求）", "Applicants (demand)"),
    "briefing.capacity.capacity": ("确认能力", "Confirmation capacity"),
    "briefing.capacity.over": ("报名人数超过确认能力", "Applicants above capacity"),
    "briefing.risk": ("需要关注的地区：截止风险", "Regions needing attention: deadline risk"),
    "briefing.risk.units": ("需要关注的单位：截止风险", "Units needing attention: deadline risk"),
    "briefing.risk.all": ("截止风险", "Deadline risk"),
    "briefing.risk.none": ("各地区各环节均无需要关注的情况。", "No region needs attention on any milestone."),
    "briefing.risk.more": ("另有{n}个地区未列入图中，见表。", "{n} more are not in the chart; see the table."),
    "briefing.plans.chart": ("实施方案报送情况与工作时间线", "Implementation plans and timeline"),
    "briefing.plans.follow": ("需跟进实施方案的地区：工作时间线", "Plans to follow up: timeline"),
    "briefing.plans.none": ("各地区均已按时报送实施方案，见表。", "Every region sent its plan in time; see the table."),
    "briefing.stage.plan": ("方案报送→公告", "Plan → announcement"),
    "briefing.stage.registration": ("网上报名", "Online registration"),
    "briefing.stage.confirmation": ("现场确认", "On-site confirmation"),
    "briefing.stage.decisions": ("认定结论", "Decisions"),
    "briefing.stage.final": ("全部完成时限", "Final date"),
    # table headers
    "briefing.col.region": ("地区", "Region"),
    "briefing.col.unit": ("单位", "Unit"),
    "briefing.col.date": ("日期", "Date"),
    "briefing.col.cumulative": ("累计网报人数", "Cumulative registrations"),
    "briefing.col.registrations": ("网报人数", "Registrations"),
    "briefing.col.population": ("人口", "Population"),
    "briefing.col.finding": ("判定", "Finding"),
    "briefing.col.demand": ("报名人数（需求）", "Applicants (demand)"),
    "briefing.col.capacity": ("确认能力", "Capacity"),
    "briefing.col.utilisation": ("利用率（%）", "Utilisation (%)"),
    "briefing.col.start": ("确认开始", "Confirmation starts"),
    "briefing.col.end": ("确认结束", "Confirmation ends"),
    "briefing.col.status": ("方案状态", "Plan status"),
    "briefing.col.submitted": ("报送日期", "Sent on"),
    "briefing.col.announced": ("公告日期", "Announced on"),
    "briefing.col.before": ("公告前报送", "Sent before announcing"),
    "briefing.col.milestone": ("环节", "Milestone"),
    "briefing.col.due": ("期限", "Due"),
    "briefing.col.projected": ("预计完成", "Projected"),
    "briefing.not_received": ("未报送", "not received"),
    "briefing.yes": ("是", "yes"),
    "briefing.no": ("否", "no"),
    # the summary, sentence by sentence
    "briefing.sum.progress": ("截至{month}月{day}日，{region}网报{registered:,}人{change}，"
                              "现场确认完成{confirmed:.1%}，认定结论完成{decided:.1%}，证书发放{issued:.1%}。",
                     "As of {month}/{day}, {region} has {registered:,} online registrations{change}; "
                     "{confirmed:.1%} confirmed on site, {decided:.1%} decided, {issued:.1%} of certificates issued. "),
    "briefing.sum.change": ("（较上周{change:+,}人）", " ({change:+,} in the week)"),
    "briefing.sum.late": ("{n}个{kind}存在逾期风险：{items}。", "{n} {kind} at risk of missing a deadline: {items}. "),
    "briefing.sum.late_none": ("没有{kind}存在逾期风险。", "No {kind} at risk of missing a deadline. "),
    "briefing.sum.fails": ("{n}个{kind}现场确认或体检安排存在问题：{items}。",
                  "{n} {kind} with a problem in confirmation or exam arrangements: {items}. "),
    "briefing.sum.done_late": ("{n}个{kind}逾期完成：{items}。", "{n} {kind} finished late: {items}. "),
    "briefing.sum.silent": ("{n}个地区未按时报送进度周报：{items}。",
                            "{n} regions missed their weekly report: {items}. "),
    "briefing.sum.finding": ("{milestone}{level}", "{milestone}: {level}"),
    "briefing.sum.plans": ("实施方案已报送{sent}/{total}，距{month}月{day}日还有{days}个工作日。",
                           "Plans received: {sent}/{total}; {days} working days to {month}/{day}."),
    "briefing.sum.item": ("{who}（{what}）", "{who} ({what})"),
    "briefing.sum.kind.region": ("地区", "regions"),
    "briefing.sum.kind.unit": ("单位", "units"),
    "briefing.sep": ("、", ", "),
    "briefing.sep.item": ("，", ", "),
    # the page
    "briefing.page.week": ("周报日期", "Week of"),
    "briefing.page.scope": ("范围：{region}（与侧栏一致；导出的文件只含此范围）",
                   "Scope: {region} (as in the sidebar; the export holds only this scope)"),
    "briefing.page.summary_help": ("根据本页数据自动生成，可修改后导出",
                          "Written from the figures on this page; edit before exporting"),
    "briefing.page.png": ("图片（PNG，ZIP）", "Images (PNG, zip)"),
    "briefing.page.docx": ("Word 文档（.docx）", "Word document (.docx)"),
    "briefing.page.pdf": ("PDF", "PDF"),
    "briefing.page.prepare": ("生成导出文件", "Prepare the export"),
    "briefing.page.preparing": ("正在生成图片和文档……", "Drawing the images and documents…"),
    "briefing.page.none": ("无", "none"),
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



TEXTS |= {f"reason.{key}": text for key, text in _stage_reasons().items()}

# the coordinators' loop: 数据上报 (pages/upload.py) and 报送情况 (pages/submissions.py)
TEXTS |= {
    "nav.upload": ("数据上报", "Submit data"),
    "nav.submissions": ("报送情况", "Submissions"),
    "empty.warehouse_upload": ("还没有导入任何数据：请在“数据上报”页上传各地报送的文件，导入后各页面即显示。",
                               "No data loaded yet: upload the regions' files on “Submit data”; every page shows "
                               "them once loaded."),

    "upload.title": ("数据上报", "Submit data"),
    "upload.only": ("数据上报仅限地区联络员和管理员使用。",
                    "Only regional coordinators and administrators submit data."),
    "upload.scope": ("您可以报送{region}（含其下属县区）的数据。文件里只要有一行属于其他地区，整个文件都不导入。",
                     "You may submit data of {region} (and the units under it). A file with any row for another "
                     "region is not loaded at all."),
    "upload.scope_all": ("管理员可以导入任何地区的数据。", "Administrators may load data of any region."),
    "upload.files": ("选择或拖入报送文件（Excel .xlsx/.xls 或 CSV，可一次多个）",
                     "Choose or drop the files (Excel .xlsx/.xls or CSV, several at once)"),
    "upload.files_help": ("一个工作簿可以包含多张表（实施方案、报名进度、现场确认安排、体检安排、认定进度），"
                          "工作表按表名命名；CSV 每个文件一张表。同一地区同一张表的新文件会替换旧数据，"
                          "旧数据保留在历史中。",
                          "A workbook may hold several tables, one sheet each, named as in the template; a CSV "
                          "holds one table. A newer file for the same region and table replaces the earlier "
                          "figures, which stay in the history."),
    "upload.submit": ("提交并导入", "Submit and load"),
    "upload.choose_first": ("请先选择要上报的文件。", "Choose the files to submit first."),
    "upload.progress": ("正在导入 {file}：{phase}", "Loading {file}: {phase}"),
    "upload.progress_all": ("{phase}", "{phase}"),
    "upload.done": ("已导入并发布：每个页面现在都显示新数据。",
                    "Loaded and published: every page now shows the new data."),
    "upload.unchanged": ("数据没有改动：文件都已收到过，或被拒收。", "Nothing changed: every file was received before, "
                         "or refused."),
    "upload.failed": ("导入没有完成，数据没有任何改动；请稍后再试，如果反复出现，请联系技术人员。",
                      "The load did not finish and nothing changed; try again later, and if it keeps happening, "
                      "contact the technical team."),
    "upload.results": ("本次上报结果（{when}，{by}）", "This submission ({when}, {by})"),
    "upload.messages_zh": ("说明：各文件的问题说明由导入程序给出，与回执相同。",
                           "The loader's messages about each file are in Chinese, as regions get them on the "
                           "receipt."),
    "upload.status.loaded": ("已导入", "Loaded"),
    "upload.status.partial": ("部分导入", "Partly loaded"),
    "upload.status.rejected": ("拒收", "Refused"),
    "upload.status.duplicate": ("已收到过", "Already received"),
    "upload.counts": ("读取 {read} 行，导入 {loaded} 行，拒收 {rejected} 行，提醒 {warnings} 条",
                      "{read} rows read, {loaded} loaded, {rejected} refused, {warnings} warnings"),
    "upload.todo.loaded": ("全部导入，无需处理。", "All loaded: nothing to do."),
    "upload.todo.partial": ("部分行被拒收：请按下表改正这些行，再上报整张表（新文件会替换旧数据）。",
                            "Some rows were refused: correct them as the table says, then submit the whole table "
                            "again (the new file replaces the earlier figures)."),
    "upload.todo.rejected": ("整个文件没有导入：请按下表的说明处理后重新上报。",
                             "The whole file was refused: do what the table says, then submit it again."),
    "upload.refused_because": ("整个文件没有导入：{reason}", "The whole file was refused: {reason}"),
    "upload.todo.duplicate": ("此前已收到内容完全相同的文件，没有改动，无需重复上报。",
                              "The same file was received before: nothing changed, no need to send it again."),
    "upload.todo.loader_failed": ("导入程序出错，此文件没有导入，其余文件不受影响：请把此文件发给技术人员。",
                                  "The loader failed on this file, which was not loaded (the others were): send "
                                  "it to the technical team."),
    "upload.problems": ("问题清单：{file}", "Problems: {file}"),
    "upload.kind.error": ("错误（该行未导入）", "Error (row not loaded)"),
    "upload.kind.warning": ("提醒（已导入，请核对）", "Warning (loaded, please check)"),
    "upload.fix.row": ("改正这一格，再上报整张表", "Correct this cell, then submit the whole table again"),
    "upload.fix.file": ("按说明处理后，重新上报此文件", "Do what the message says, then submit the file again"),
    "upload.fix.warning": ("请核对：数字无误可不处理，有误请改正后重新上报",
                           "Check it: if the figures are right, nothing to do; if not, correct and submit again"),
    "upload.receipt": ("下载回执（Excel）", "Download the receipt (Excel)"),
    "upload.template": ("下载报送模板（Excel）", "Download the template (Excel)"),
    "upload.template_help": ("每张表一个工作表，表头、下拉选项、日期格式都已设好；“填表说明”工作表有说明和填好的示例。",
                             "One sheet per table with its headers, drop-down lists and date formats; the "
                             "填表说明 sheet explains each table and shows a filled-in example."),
    "upload.see_board": ("各地历次报送、更正和催报名单见“报送情况”页。",
                         "Every region's submissions, corrections and the reminder list are on “Submissions”."),

    "col.kind": ("类别", "Kind"),
    "col.sheet": ("工作表", "Sheet"),
    "col.excel_row": ("Excel 行号", "Excel row"),
    "col.column": ("列", "Column"),
    "col.value": ("值", "Value"),
    "col.message": ("说明", "Message"),
    "col.fix": ("怎么改", "What to do"),
    "col.file": ("文件", "File"),
    "col.result": ("结果", "Result"),
    "col.rows_read": ("读取行数", "Rows read"),
    "col.rows_loaded": ("导入行数", "Rows loaded"),
    "col.rows_rejected": ("拒收行数", "Rows refused"),
    "col.warnings": ("提醒条数", "Warnings"),
    "col.unit": ("单位", "Unit"),
    "col.table": ("报表", "Table"),
    "col.state": ("状态", "Status"),
    "col.due_by": ("应报日期", "Due"),
    "col.weekly": ("历次周报", "Weekly reports so far"),
    "col.last_file": ("最近收到的文件", "Latest file"),
    "col.received_at": ("收到时间", "Received"),
    "col.received_by": ("报送人", "Sent by"),
    "col.data_as_of": ("数据截至", "Data as of"),
    "col.files": ("收到文件数", "Files received"),
    "col.rows": ("本单位行数", "Rows of the unit"),
    "col.current": ("现行", "Current"),
    "col.key": ("哪一行", "Row"),
    "col.field": ("项目", "Figure"),
    "col.before": ("原值", "Before"),
    "col.after": ("新值", "After"),
    "col.change": ("变化", "Change"),
    "col.other_region": ("另一地区", "Other region"),
    "col.people": ("人数", "People"),

    "subm.title": ("报送情况", "Submissions"),
    "subm.tab_board": ("报送情况", "Board"),
    "subm.tab_history": ("历次报送与更正", "Versions and corrections"),
    "subm.tab_quality": ("数据质量", "Data quality"),
    "subm.rules": ("按 {as_of}（侧栏日期）判定。认定进度和报名进度每周{report_day}报送，遇节假日顺延到下一个工作日"
                   "（调休上班日也算工作日）；实施方案须在认定公告前报送；现场确认点和体检医院须在本单位现场确认开始前"
                   "报送。判定日之后补报的记为逾期；最近的文件仍有被拒收的行记为有错误待更正。",
                   "Judged as of {as_of} (the sidebar's date). Weekly progress and registrations are due every "
                   "{report_day}, moved to the next working day when it is a day off (make-up working days "
                   "count); a plan before the region's announcement; confirmation sites and exam hospitals "
                   "before the unit's confirmation starts. Anything sent after its due date is late; a latest "
                   "file with refused rows is to be corrected."),
    "subm.state.on_time": ("按时", "On time"),
    "subm.state.late": ("逾期", "Late"),
    "subm.state.missing": ("未报送", "Not sent"),
    "subm.state.errors": ("有错误待更正", "To be corrected"),
    "subm.state.not_due": ("未到期", "Not due yet"),
    "subm.table.plan": ("实施方案", "Implementation plan"),
    "subm.table.registrations": ("报名进度", "Registrations"),
    "subm.table.sites": ("现场确认安排", "Confirmation sites"),
    "subm.table.hospitals": ("体检安排", "Exam hospitals"),
    "subm.table.progress": ("认定进度", "Weekly progress"),
    "subm.weekly_counts": ("漏报 {missed} 期，晚报 {late} 期", "{missed} missed, {late} late"),
    "subm.filter_state": ("状态", "Status"),
    "subm.filter_table": ("报表", "Table"),
    "subm.board_what": ("报送情况", "Submissions"),
    "subm.empty": ("{region}没有需要报送的单位。", "{region} has no units that report."),
    "subm.nothing_filtered": ("没有符合筛选条件的行。", "No row matches the filters."),
    "subm.reminder": ("催报名单", "Reminder list"),
    "subm.reminder_intro": ("以下单位请尽快报送或更正（截至 {as_of}）：", "To send or correct as soon as possible "
                            "(as of {as_of}):"),
    "subm.reminder.missing": ("{unit}：{table}未报送，应于 {due} 前报送（已逾期 {days} 个工作日）",
                              "{unit}: {table} not sent, due {due} ({days} working days overdue)"),
    "subm.reminder.missing_weekly": ("{unit}：{table}自 {report} 那期起漏报 {missed} 期（已逾期 {days} 个工作日）",
                                     "{unit}: {table} missing since the report of {report}, {missed} reports "
                                     "({days} working days overdue)"),
    "subm.reminder.errors": ("{unit}：{table}有被拒收的行待更正（文件“{file}”）",
                             "{unit}: {table} has refused rows to correct (file “{file}”)"),
    "subm.reminder.returned": ("{unit}：{table}被退回修改，待重新报送", "{unit}: {table} returned for revision, "
                               "to be sent again"),
    "subm.reminder_none": ("没有需要催报的单位。", "Nobody to remind."),
    "subm.days_unknown": ("无法计算", "cannot be counted"),
    "subm.unit": ("单位", "Unit"),
    "subm.table": ("报表", "Table"),
    "subm.versions": ("历次收到的文件：{unit} · {table}", "Every file received: {unit} · {table}"),
    "subm.no_versions": ("还没有收到{unit}的{table}。", "Nothing received yet of {unit}'s {table}."),
    "subm.version_pick": ("看哪一版改了什么", "Which version's changes"),
    "subm.version_label": ("{received}（{file}）", "{received} ({file})"),
    "subm.changes": ("这一版与之前相比改了什么", "What this version changed"),
    "subm.first_version": ("这是第一次收到这些行，没有可比较的上一版。", "These rows were received for the first "
                           "time: there is no earlier version to compare with."),
    "subm.no_changes": ("与上一版相比，数字没有变化。", "No figure changed from the earlier version."),
    "subm.change.added": ("新增", "added"),
    "subm.change.changed": ("修改", "changed"),
    "subm.change.removed": ("删除", "removed"),
    "subm.warnings": ("随数据导入的提醒", "Warnings loaded with the data"),
    "subm.warnings_intro": ("这些行已经导入，但数字之间有矛盾（如已现场确认多于网报人数、证书发放多于认定通过、"
                            "合计与明细不符、报名日期不在报名时间内），请核对。",
                            "These rows were loaded, but their figures disagree (confirmed above registered, "
                            "certificates above approvals, a total unlike its rows, a registration outside the "
                            "window): please check them."),
    "subm.current_only": ("只看仍在使用的数据（不含已被更正替换的文件）", "Only data still in use (not files "
                          "replaced by a correction)"),
    "subm.none_warnings": ("没有提醒。", "No warnings."),
    "subm.rejected": ("被拒收的行和文件", "Refused rows and files"),
    "subm.none_rejected": ("没有被拒收的行。", "Nothing refused."),
    "subm.unknown_unit": ("（无法识别地区）", "(region unknown)"),
    "subm.shared": ("同一人在两个地区报名", "One person in two regions"),
    "subm.shared_intro": ("按身份证号的散列值比对申请人名单，找出在两个地区都报了名的人，只显示人数，"
                          "不显示任何个人信息。",
                          "Applicant lists compared by the hash of the ID number: people registered in two "
                          "regions, as counts only — no personal data."),
    "subm.none_shared": ("没有发现同一人在两个地区报名（只比对已报送申请人明细的地区）。",
                         "Nobody found in two regions (only regions that sent applicant lists are compared)."),
    "subm.other_region": ("其他地区", "another region"),
}
