"""Deadline cases whose expected dates were derived by hand, day by day, from the State Council
notices (domain.md §3.1) and the counting rule (§3.2: day 0 not counted, the Nth counted working day
ends the period), never by running the engine. ``why`` records the count so a reviewer can redo it.

Each case: ``received``, ``channel``, ``events`` (case-file events, interfaces.md §1), ``today``,
optional ``fee_pauses_clock``, and ``expected``: fields of ``deadline --json`` (interfaces.md §3.1).
Weekdays used: 2025-01-01 Wed, 2025-09-01 Mon, 2025-12-01 Mon, 2026-01-01 Thu, 2026-06-01 Mon,
2026-09-01 Tue, 2026-11-01 Sun, 2027-01-01 Fri.
"""

from __future__ import annotations

from typing import Any

CASES: list[dict[str, Any]] = [
    {
        "id": "IND-01 春节2025两个调休上班日",
        "received": "2025-01-20",
        "today": "2025-01-20",
        "events": [],
        "expected": {
            "correction_notice_due": "2025-02-05",
            "reply_due": "2025-02-21",
            "days_left": 20,
            "provisional": False,
        },
        "why": "1月21日至24日第1–4日；25日周六休；26日（周日）调休上班第5日；27日第6日；1月28日至2月4日春节放假；"
        "2月5日第7日（补正期限）；6日、7日第8–9日；8日（周六）调休上班第10日；2月10日至14日第11–15日；"
        "2月17日至21日第16–20日。",
    },
    {
        "id": "IND-02 跨年进入2026元旦",
        "received": "2025-12-25",
        "today": "2025-12-25",
        "events": [],
        "expected": {
            "correction_notice_due": "2026-01-06",
            "reply_due": "2026-01-23",
            "days_left": 20,
            "provisional": False,
        },
        "why": "12月26日第1日；12月29日至31日第2–4日；2026年1月1日至3日元旦放假；1月4日（周日）调休上班第5日；"
        "1月5日第6日、6日第7日（补正期限）；7日至9日第8–10日；12日至16日第11–15日；19日至23日第16–20日。"
        "2026年安排已加载，12月25日后的日子不再暂定。",
    },
    {
        "id": "IND-03 清明2026",
        "received": "2026-04-01",
        "today": "2026-04-01",
        "events": [],
        "expected": {"correction_notice_due": "2026-04-13", "reply_due": "2026-04-30", "days_left": 20},
        "why": "4月2日、3日第1–2日；4月4日至6日清明节放假；7日至10日第3–6日；13日第7日（补正期限）；"
        "13日至17日第7–11日；20日至24日第12–16日；27日至30日第17–20日。",
    },
    {
        "id": "IND-04 劳动节2026及5月9日调休",
        "received": "2026-04-28",
        "today": "2026-04-28",
        "events": [],
        "expected": {"correction_notice_due": "2026-05-11", "reply_due": "2026-05-28"},
        "why": "4月29日、30日第1–2日；5月1日至5日劳动节放假；6日至8日第3–5日；9日（周六）调休上班第6日；"
        "11日第7日（补正期限）；11日至15日第7–11日；18日至22日第12–16日；25日至28日第17–20日。",
    },
    {
        "id": "IND-05 期限末段遇端午2025",
        "received": "2025-05-06",
        "today": "2025-05-06",
        "events": [],
        "expected": {"correction_notice_due": "2025-05-15", "reply_due": "2025-06-04"},
        "why": "5月7日至9日第1–3日；12日至16日第4–8日（15日为第7日）；19日至23日第9–13日；26日至30日第14–18日；"
        "5月31日至6月2日端午节放假；6月3日第19日；6月4日第20日。",
    },
    {
        "id": "IND-06 征求第三方意见跨国庆中秋2025（自送达起算）",
        "received": "2025-09-15",
        "today": "2025-10-20",
        "events": [
            {
                "type": "consultation_sent",
                "date": "2025-09-17",
                "id": "c1",
                "party": "third_party",
                "name": "某公司",
                "delivered": "2025-09-19",
            },
            {"type": "consultation_replied", "date": "2025-10-16", "id": "c1", "opinion": "agree"},
        ],
        "expected": {
            "correction_notice_due": "2025-09-24",
            "reply_due": "2025-11-11",
            "paused_days": 17,
            "days_left": 16,
            "state": "running",
        },
        "why": "9月16日第1日；17日发函当日计入第2日。第三方答复期限自9月19日送达起15个工作日：22–26日（5）、"
        "28日调休（6）、29日、30日（8）、10月9日、10日（10）、11日调休（11）、13–16日（15）→10月16日，当日答复，"
        "暂停(9月17日,10月16日]，其中工作日18、19、22–26、28、29、30日、10月9、10、11、13–16日共17日。"
        "10月17日第3日；20–24日第4–8日；27–31日第9–13日；11月3–7日第14–18日；10日第19日；11日第20日。"
        "补正期限不暂停：9月16–19日、22–24日→9月24日。10月20日之后至11月11日的工作日：21–24日（4）、"
        "27–31日（9）、11月3–7日（14）、10日、11日（16）。",
    },
    {
        "id": "IND-07 延期20日跨中秋国庆2026",
        "received": "2026-09-01",
        "today": "2026-10-09",
        "events": [
            {
                "type": "extension_approved",
                "date": "2026-09-28",
                "days": 20,
                "approver": "主任",
                "reason": "检索量大",
            }
        ],
        "expected": {
            "correction_notice_due": "2026-09-10",
            "reply_due": "2026-11-02",
            "extension_days": 20,
            "days_left": 17,
        },
        "why": "9月2–4日第1–3日；7–11日第4–8日（10日第7日，补正期限）；14–18日第9–13日；20日（周日）调休第14日；"
        "21–24日第15–18日；25–27日中秋节放假；28日第19日；29日第20日＝原期限，28日批准延期在期限内。"
        "延长：30日第21日；10月1–7日国庆节放假；8日、9日第22–23日；10日（周六）调休第24日；12–16日第25–29日；"
        "19–23日第30–34日；26–30日第35–39日；11月2日第40日。10月9日之后：10日、12–16、19–23、26–30日、11月2日共17日。",
    },
    {
        "id": "IND-08 期限届满后批准延期不计入",
        "received": "2025-06-03",
        "today": "2025-07-03",
        "events": [
            {
                "type": "extension_approved",
                "date": "2025-07-02",
                "days": 10,
                "approver": "主任",
                "reason": "检索量大",
            }
        ],
        "expected": {
            "correction_notice_due": "2025-06-12",
            "reply_due": "2025-07-01",
            "extension_days": 0,
            "state": "overdue",
            "days_left": -2,
        },
        "why": "6月4–6日第1–3日；9–13日第4–8日（12日第7日）；16–20日第9–13日；23–27日第14–18日；30日第19日；"
        "7月1日第20日。7月2日批准已晚于7月1日，不计入。7月1日之后至3日的工作日：2日、3日，逾期2日。",
    },
    {
        "id": "IND-09 国庆假期中（周六）收到2026",
        "received": "2026-10-03",
        "today": "2026-10-03",
        "events": [],
        "expected": {"correction_notice_due": "2026-10-15", "reply_due": "2026-11-03", "days_left": 20},
        "why": "收到日10月3日为第0日；4–7日国庆节放假；8日、9日第1–2日；10日（周六）调休第3日；12–16日第4–8日"
        "（15日第7日）；19–23日第9–13日；26–30日第14–18日；11月2日第19日；3日第20日。",
    },
    {
        "id": "IND-10 调休上班日（2026年2月28日周六）收到",
        "received": "2026-02-28",
        "today": "2026-02-28",
        "events": [],
        "expected": {"correction_notice_due": "2026-03-10", "reply_due": "2026-03-27"},
        "why": "收到日为第0日不计；3月2–6日第1–5日；9日第6日、10日第7日；9–13日第6–10日；16–20日第11–15日；"
        "23–27日第16–20日。",
    },
    {
        "id": "IND-11 收费通知送达后免收，跨2026元旦",
        "received": "2025-12-01",
        "today": "2025-12-11",
        "events": [
            {
                "type": "fee_notified",
                "date": "2025-12-03",
                "amount": 200,
                "method": "per_request",
                "delivered": "2025-12-05",
            },
            {"type": "fee_waived", "date": "2025-12-10", "reason": "经济困难"},
        ],
        "expected": {
            "correction_notice_due": "2025-12-10",
            "reply_due": "2026-01-06",
            "paused_days": 5,
            "fee_deadline": "2026-01-05",
            "state": "running",
            "days_left": 17,
        },
        "why": "12月2日第1日；3日发出收费通知当日计入第2日；暂停(12月3日,12月10日]：4、5、8、9、10日共5个工作日；"
        "11日、12日第3–4日；15–19日第5–9日；22–26日第10–14日；29–31日第15–17日；2026年1月1–3日元旦放假；"
        "4日（周日）调休第18日；5日第19日；6日第20日。缴费期限自12月5日收到起20个工作日：8–12日（5）、"
        "15–19日（10）、22–26日（15）、29–31日（18）、1月4日（19）、5日（20）。12月11日之后：12日、15–19、22–26、"
        "29–31日、1月4–6日共17日。补正期限：2–5日、8–10日→12月10日。",
    },
    {
        "id": "IND-12 两个征求意见暂停重叠",
        "received": "2025-03-10",
        "today": "2025-03-27",
        "events": [
            {
                "type": "consultation_sent",
                "date": "2025-03-12",
                "id": "a",
                "party": "third_party",
                "name": "甲公司",
            },
            {"type": "consultation_sent", "date": "2025-03-17", "id": "b", "party": "agency", "name": "某局"},
            {"type": "consultation_replied", "date": "2025-03-19", "id": "a", "opinion": "agree"},
            {"type": "consultation_replied", "date": "2025-03-26", "id": "b", "opinion": "agree"},
        ],
        "expected": {
            "correction_notice_due": "2025-03-19",
            "reply_due": "2025-04-22",
            "paused_days": 10,
            "days_left": 17,
        },
        "why": "3月11日第1日；12日第2日；暂停(12日,19日]与(17日,26日]合并为(12日,26日]：13、14、17–21、24–26日共10个"
        "工作日；27日第3日；28日第4日；31日第5日；4月1–3日第6–8日；4–6日清明节放假；7–11日第9–13日；"
        "14–18日第14–18日；21日第19日；22日第20日。补正期限不暂停：11–14日、17–19日→3月19日。",
    },
    {
        "id": "IND-13 补正后重新起算，此前批准的延期失效",
        "received": "2025-04-21",
        "today": "2025-05-08",
        "events": [
            {"type": "correction_requested", "date": "2025-04-24", "period_end": "2025-05-09"},
            {
                "type": "extension_approved",
                "date": "2025-04-25",
                "days": 20,
                "approver": "主任",
                "reason": "复杂",
            },
            {"type": "correction_received", "date": "2025-05-07"},
        ],
        "expected": {
            "start": "2025-05-07",
            "correction_notice_due": None,
            "reply_due": "2025-06-05",
            "extension_days": 0,
            "days_left": 19,
        },
        "why": "5月7日收到补正为新的第0日；8日、9日第1–2日；12–16日第3–7日；19–23日第8–12日；26–30日第13–17日；"
        "5月31日至6月2日端午节放假；3日第18日；4日第19日；5日第20日。4月25日的延期早于重新起算，失效。",
    },
    {
        "id": "IND-14 其他机关逾期未答复，暂停至答复期限届满（跨端午2026）",
        "received": "2026-06-01",
        "today": "2026-07-01",
        "events": [
            {
                "type": "consultation_sent",
                "date": "2026-06-03",
                "id": "c",
                "party": "agency",
                "name": "某局",
                "delivered": "2026-06-05",
            }
        ],
        "expected": {
            "correction_notice_due": "2026-06-10",
            "reply_due": "2026-07-23",
            "paused_days": 17,
            "state": "running",
            "days_left": 16,
        },
        "why": "6月2日第1日；3日发函第2日。答复期限自6月5日送达起15个工作日：8–12日（5）、15–18日（9）、"
        "19–21日端午节放假、22–26日（14）、29日（15）→6月29日，未答复，暂停(6月3日,6月29日]共17个工作日"
        "（4、5、8–12、15–18、22–26、29日）。6月30日第3日；7月1–3日第4–6日；6–10日第7–11日；13–17日第12–16日；"
        "20–23日第17–20日。7月1日之后：2、3、6–10、13–17、20–23日共16日。补正期限：2–5日、8–10日→6月10日。",
    },
    {
        "id": "IND-15 期限止于12月23日，不触及年末",
        "received": "2026-11-25",
        "today": "2026-11-25",
        "events": [],
        "expected": {"correction_notice_due": "2026-12-04", "reply_due": "2026-12-23", "provisional": False},
        "why": "11月26日、27日第1–2日；30日第3日；12月1–4日第4–7日；7–11日第8–12日；14–18日第13–17日；"
        "21–23日第18–20日。未触及12月25日至31日，不为暂定。",
    },
    {
        "id": "IND-16 期限止于12月25日，2027年未加载，暂定",
        "received": "2026-11-27",
        "today": "2026-11-27",
        "events": [],
        "expected": {"correction_notice_due": "2026-12-08", "reply_due": "2026-12-25", "provisional": True},
        "why": "11月30日第1日；12月1–4日第2–5日；7日第6日、8日第7日；7–11日第6–10日；14–18日第11–15日；"
        "21–24日第16–19日；25日（周五）第20日。期限触及12月25日而2027年安排未加载，为暂定。",
    },
    {
        "id": "IND-17 延期10日进入未加载的2027年",
        "received": "2026-12-10",
        "today": "2026-12-10",
        "events": [
            {
                "type": "extension_approved",
                "date": "2027-01-05",
                "days": 10,
                "approver": "主任",
                "reason": "复杂",
            }
        ],
        "expected": {
            "correction_notice_due": "2026-12-21",
            "reply_due": "2027-01-22",
            "extension_days": 10,
            "provisional": True,
            "days_left": 30,
        },
        "why": "12月11日第1日；14–18日第2–6日；21日第7日（补正期限）；21–25日第7–11日；28–31日第12–15日；"
        "2027年1月1日（周五）按固定日期元旦放假；4–8日第16–20日＝原期限1月8日，5日批准在期限内；"
        "11–15日第21–25日；18–22日第26–30日。",
    },
    {
        "id": "IND-18 第三十五条合理延迟期限取代答复期限",
        "received": "2025-08-01",
        "today": "2025-10-27",
        "events": [
            {
                "type": "delay_notified",
                "date": "2025-08-15",
                "until": "2025-10-31",
                "reason": "申请数量明显超过合理范围",
            }
        ],
        "expected": {
            "correction_notice_due": "2025-08-12",
            "reply_due": "2025-10-31",
            "days_left": 4,
            "band": "within_5",
        },
        "why": "告知的延迟期限10月31日即为答复期限；10月27日之后：28–31日共4个工作日。补正期限：8月4–8日第1–5日、"
        "11日第6日、12日第7日。",
    },
    {
        "id": "IND-19 机关设置缴费期间不暂停",
        "received": "2025-06-09",
        "today": "2025-06-12",
        "fee_pauses_clock": False,
        "events": [
            {"type": "fee_notified", "date": "2025-06-11", "amount": 200, "method": "per_request"},
            {"type": "fee_paid", "date": "2025-06-20"},
        ],
        "expected": {
            "correction_notice_due": "2025-06-18",
            "reply_due": "2025-07-07",
            "paused_days": 0,
            "fee_deadline": "2025-07-09",
        },
        "why": "不暂停：6月10–13日第1–4日；16–20日第5–9日（18日第7日）；23–27日第10–14日；30日第15日；"
        "7月1–4日第16–19日；7日第20日。缴费期限自通知日起20个工作日：12、13日（2）、16–20日（7）、23–27日（12）、"
        "30日（13）、7月1–4日（17）、7–9日（20）→7月9日。",
    },
    {
        "id": "IND-20 电子邮件申请待确认收到",
        "received": None,
        "channel": "email",
        "today": "2025-06-12",
        "events": [],
        "expected": {
            "start": None,
            "correction_notice_due": None,
            "reply_due": None,
            "days_left": None,
            "state": "awaiting_confirmation",
            "band": "waiting",
        },
        "why": "条例第三十一条：以双方确认之日为收到申请之日；未确认前不起算。",
    },
    {
        "id": "IND-21 周五届满、周六查看：已逾期但尚无逾期工作日",
        "received": "2025-07-04",
        "today": "2025-08-02",
        "events": [],
        "expected": {
            "correction_notice_due": "2025-07-15",
            "reply_due": "2025-08-01",
            "state": "overdue",
            "days_left": 0,
        },
        "why": "7月7–11日第1–5日；14日第6日、15日第7日；14–18日第6–10日；21–25日第11–15日；28日至8月1日第16–20日。"
        "8月2日（周六）已过期限；8月1日之后至2日没有工作日，days_left按定义为0。",
    },
    {
        "id": "IND-22 周六收到，期限遇清明2025",
        "received": "2025-03-08",
        "today": "2025-03-08",
        "events": [],
        "expected": {"correction_notice_due": "2025-03-18", "reply_due": "2025-04-07", "days_left": 20},
        "why": "3月8日（周六）为第0日；10–14日第1–5日；17日第6日、18日第7日；17–21日第6–10日；24–28日第11–15日；"
        "31日第16日；4月1–3日第17–19日；4日至6日清明节放假；7日第20日。",
    },
]
