"""The language of the product: cases, applicants, items, events, findings and agencies as plain data.

Nothing here does I/O or imports anything outside the standard library.

Glossary (法律术语 → identifier), fixed once for the whole code base:

=====================  ==============================
政府信息公开申请          case (one registered request)
登记编号                 number
申请人                   applicant
代理人                   agent
申请事项                 item
收到申请之日 (第0日)      received (legal receipt date)
实际到达日               arrived
收到方式 / 渠道          channel
确认收到                 receipt confirmation
补正                     correction
征求意见                 consultation (第三方 third_party, 其他机关 agency)
延期                     extension
合理延迟期限 (第35条)     delay
信息处理费               fee (按件 per_request, 按量 per_volume), 免收 waiver
答复                     reply
答复类型 / 处理结果       finding (per item), outcome (per case, for the annual report)
终止 (撤回、视为放弃)     termination
送达                     delivery
行政复议                 reconsideration
复议机关                 reconsideration organ
复议前置                 reconsideration first
行政诉讼                 litigation
疑难件备案               difficult / filed_with_city
归档                     archived
文号                     doc number
文书                     letter
年度报告                 annual report
台账                     ledger
工作日 / 调休上班日       working day / make-up working day
=====================  ==============================
"""
