import Foundation
import KefuModel

/// A known history of six sessions and two left messages on 2026-11-25/26 (UTC times; Asia/Shanghai is
/// UTC+8), with the export rows and statistics it must produce. It covers a bot-only session, a human
/// session with a transfer and a rating, a queue exit, an idle timeout after assignment, a no-service
/// session with a left message, and values that need the formula guard (`=B`, `+86…`, `=SUM(A1)`).
///
/// ``entries`` is the publication order: session 2 arrives scrambled (ended and rating before the
/// assignment), left message 1 arrives closed → unclaimed → claimed, and duplicates are included: the same
/// envelope twice (inbox) and the same seq under a new envelope id (seq bitmap). Bot answers get visitor
/// feedback: session 1 有用 and 没用 after it ended (one of them twice), session 2 有用 before its creation.
enum KnownHistory {
    static func id(_ text: String) -> UUID { UUID(uuidString: text)! }
    static let s1 = SessionID(id("00000000-0000-4000-8000-000000000001"))
    static let s2 = SessionID(id("00000000-0000-4000-8000-000000000002"))
    static let s3 = SessionID(id("00000000-0000-4000-8000-000000000003"))
    static let s4 = SessionID(id("00000000-0000-4000-8000-000000000004"))
    static let s5 = SessionID(id("00000000-0000-4000-8000-000000000005"))
    static let s6 = SessionID(id("00000000-0000-4000-8000-000000000006"))
    static let agentA = AgentID(id("aaaaaaaa-0000-4000-8000-00000000000a"))
    static let agentB = AgentID(id("bbbbbbbb-0000-4000-8000-00000000000b"))
    static let afterSales = SummaryCategoryID(id("c0000000-0000-4000-8000-0000000000c1"))
    static let refund = SummaryCategoryID(id("c0000000-0000-4000-8000-0000000000c2"))

    /// The sessions export in Asia/Shanghai: the columns before the summary's, then the summary's two (only
    /// session 2 has a summary).
    static let sessionsShanghai: [[String]] = sessionsShanghaiBeforeSummaries.enumerated().map { index, row in
        if index == 0 { return row + ["summary_categories", "summary_note"] }
        return row + (row[0] == s2.description ? ["售后/退款;售后", "'=已退款"] : ["", ""])
    }

    /// The categories export of the history.
    static let categoriesShanghai: [[String]] = [
        ["category_id", "parent_name", "category_name", "sessions", "agents", "avg_handle_seconds", "ratings", "avg_rating"],
        [afterSales.description, "", "售后", "1", "1", "720.000", "1", "4.00"],
        [refund.description, "售后", "退款", "1", "1", "720.000", "1", "4.00"],
    ]
    static let leave1 = LeaveMessageID(id("1eaf0000-0000-4000-8000-000000000001"))
    static let leave2 = LeaveMessageID(id("1eaf0000-0000-4000-8000-000000000002"))
    static let nameA = "客服小王"
    static let nameB = "=B"

    static func envelope<P: EventPayload>(_ data: P, _ time: String, id: EventID = .random()) -> EventEnvelope<P> {
        EventEnvelope(id: id, time: Timestamp(rfc3339: "2026-11-25T" + time + "Z")!, source: "routing", data: data)
    }

    static func entry<P: EventPayload>(_ data: P, _ time: String, id: EventID = .random()) -> [UInt8] {
        try! EnvelopeCodec.encode(envelope(data, time, id: id))
    }

    static let entryID = KnowledgeEntryID(id("e0000000-0000-4000-8000-00000000000e"))

    static func feedback(_ session: SessionID, _ seq: Int, _ visitor: String, answer: Int, useful: Bool) -> FeedbackRecorded {
        FeedbackRecorded(
            sessionID: session, seq: seq, channel: "web", visitorID: visitor, answerSeq: answer, questionSeq: answer - 1,
            entryID: entryID, useful: useful)
    }

    static func message(_ session: SessionID, _ seq: Int, _ channel: String, _ visitor: String, _ sender: SenderKind,
                        agent: AgentID? = nil) -> MessageAccepted {
        MessageAccepted(
            sessionID: session, seq: seq, channel: channel, visitorID: visitor, sender: sender, agentID: agent,
            content: .text("message \(seq)"))
    }

    /// Every entry in publication order.
    static var entries: [[UInt8]] {
        var all: [[UInt8]] = []
        // Session 1: bot only; its bot message is published twice with the same envelope id.
        let s1Bot = EventID.random()
        let s1Feedback = EventID.random()
        all += [
            entry(SessionCreated(sessionID: s1, seq: 1, channel: "web", visitorID: "v-1001"), "02:00:00"),
            entry(message(s1, 2, "web", "v-1001", .visitor), "02:00:01"),
            entry(message(s1, 3, "web", "v-1001", .bot), "02:00:02", id: s1Bot),
            entry(message(s1, 3, "web", "v-1001", .bot), "02:00:02", id: s1Bot),
            entry(message(s1, 4, "web", "v-1001", .visitor), "02:00:30"),
            entry(message(s1, 5, "web", "v-1001", .bot), "02:00:31"),
            entry(SessionEnded(sessionID: s1, seq: 6, channel: "web", visitorID: "v-1001", reason: .visitorButton,
                               human: false, ratingInvited: false), "02:01:00"),
            entry(feedback(s1, 7, "v-1001", answer: 3, useful: true), "02:01:10", id: s1Feedback),
            entry(feedback(s1, 8, "v-1001", answer: 5, useful: false), "02:01:20"),
            entry(feedback(s1, 7, "v-1001", answer: 3, useful: true), "02:01:10", id: s1Feedback),
            entry(feedback(s1, 8, "v-1001", answer: 5, useful: false), "02:01:20"),
        ]
        // Session 2: human, transferred A → B, rated; scrambled, with A's message again under a new id.
        let v2 = "v-1002"
        let created2 = EventID.random()
        all += [
            // The summary (会话小结) first, before the session's other events; then an older one that must not win.
            entry(SummaryRecorded(sessionID: s2, agentID: agentB, categories: [
                SummaryCategoryRef(categoryID: refund, name: "退款", parentID: afterSales, parentName: "售后"),
                SummaryCategoryRef(categoryID: afterSales, name: "售后"),
            ], note: "=已退款"), "03:17:00"),
            entry(SummaryRecorded(sessionID: s2, agentID: agentB, categories: [
                SummaryCategoryRef(categoryID: afterSales, name: "旧名"),
            ], note: "旧的"), "03:16:50"),
            entry(feedback(s2, 14, v2, answer: 3, useful: true), "03:16:30"),
            entry(SessionEnded(sessionID: s2, seq: 12, channel: "web", visitorID: v2, reason: .agent, agentID: agentB,
                               human: true, ratingInvited: true), "03:15:00"),
            entry(RatingRecorded(sessionID: s2, seq: 13, channel: "web", visitorID: v2, stars: 4, comment: "=SUM(A1)",
                                 agentID: agentB), "03:16:00"),
            entry(SessionTransferred(sessionID: s2, seq: 10, channel: "web", visitorID: v2, fromAgentID: agentA,
                                     toAgentID: agentB, toAgentName: nameB, note: "退款"), "03:06:40"),
            entry(message(s2, 11, "web", v2, .agent, agent: agentB), "03:07:10"),
            entry(message(s2, 8, "web", v2, .agent, agent: agentA), "03:03:20"),
            entry(SessionCreated(sessionID: s2, seq: 1, channel: "web", visitorID: v2), "03:00:00", id: created2),
            entry(message(s2, 2, "web", v2, .visitor), "03:00:05"),
            entry(message(s2, 3, "web", v2, .bot), "03:00:06"),
            entry(SessionQueued(sessionID: s2, seq: 4, channel: "web", visitorID: v2, reason: .visitorRequest, priority: 10, group: "presales"),
                  "03:01:00"),
            entry(QueuePosition(sessionID: s2, seq: 5, channel: "web", visitorID: v2, position: 1, ahead: 0, prompt: "请稍候"),
                  "03:01:00"),
            entry(SessionAssigned(sessionID: s2, seq: 6, channel: "web", visitorID: v2, agentID: agentA, agentName: nameA, group: "aftersales"),
                  "03:03:00"),
            entry(message(s2, 7, "web", v2, .system), "03:03:00.500"),
            entry(message(s2, 9, "web", v2, .visitor), "03:04:00"),
            entry(message(s2, 8, "web", v2, .agent, agent: agentA), "03:03:20"),
            entry(SessionCreated(sessionID: s2, seq: 1, channel: "web", visitorID: v2), "03:00:00", id: created2),
        ]
        // Session 3: asks for a human, leaves the queue.
        all += [
            entry(SessionCreated(sessionID: s3, seq: 1, channel: "wechat", visitorID: "o6_abc"), "04:00:00"),
            entry(message(s3, 2, "wechat", "o6_abc", .visitor), "04:00:01"),
            entry(SessionQueued(sessionID: s3, seq: 3, channel: "wechat", visitorID: "o6_abc", reason: .keyword, priority: 10),
                  "04:00:02"),
            entry(SessionEnded(sessionID: s3, seq: 4, channel: "wechat", visitorID: "o6_abc", reason: .queueExit,
                               human: false, ratingInvited: false), "04:02:02"),
        ]
        // Session 4: assigned to B, nobody answers, idle timeout.
        let v4 = "+8613800000000"
        all += [
            entry(SessionCreated(sessionID: s4, seq: 1, channel: "wechat", visitorID: v4), "05:00:00"),
            entry(message(s4, 2, "wechat", v4, .visitor), "05:00:10"),
            entry(SessionQueued(sessionID: s4, seq: 3, channel: "wechat", visitorID: v4, reason: .keyword, priority: 10, group: "vip"),
                  "05:00:20"),
            entry(SessionAssigned(sessionID: s4, seq: 4, channel: "wechat", visitorID: v4, agentID: agentB, agentName: nameB),
                  "05:00:50"),
            entry(SessionEnded(sessionID: s4, seq: 5, channel: "wechat", visitorID: v4, reason: .idleTimeout, agentID: agentB,
                               human: true, ratingInvited: true), "05:30:50"),
        ]
        // Session 6: quick human session served by A, rated 5.
        all += [
            entry(AgentUpdated(agentID: agentA, name: nameA, status: .online, present: true, capacity: 5, load: 0), "05:59:00"),
            entry(SessionCreated(sessionID: s6, seq: 1, channel: "web", visitorID: "v-1006"), "06:00:00"),
            entry(SessionQueued(sessionID: s6, seq: 2, channel: "web", visitorID: "v-1006", reason: .visitorRequest, priority: 10),
                  "06:00:10"),
            entry(SessionAssigned(sessionID: s6, seq: 3, channel: "web", visitorID: "v-1006", agentID: agentA, agentName: nameA),
                  "06:00:20"),
            entry(message(s6, 4, "web", "v-1006", .agent, agent: agentA), "06:00:25"),
            entry(SessionEnded(sessionID: s6, seq: 5, channel: "web", visitorID: "v-1006", reason: .visitorPhrase,
                               agentID: agentA, human: true, ratingInvited: true), "06:05:20"),
            entry(RatingRecorded(sessionID: s6, seq: 6, channel: "web", visitorID: "v-1006", stars: 5, agentID: agentA),
                  "06:06:00"),
            entry(LeaveMessageUpdated(leaveMessageID: leave2, channel: "wechat", visitorID: "o6_zzz", state: .unclaimed),
                  "06:00:00"),
        ]
        // Session 5: no service at 01:00 Shanghai on the 26th; left message 1 closed → unclaimed → claimed.
        all += [
            entry(SessionCreated(sessionID: s5, seq: 1, channel: "web", visitorID: "v-2002"), "17:00:00"),
            entry(message(s5, 2, "web", "v-2002", .visitor), "17:00:05"),
            entry(SessionEnded(sessionID: s5, seq: 3, channel: "web", visitorID: "v-2002", reason: .noService,
                               human: false, ratingInvited: false), "17:00:06"),
            entry(LeaveMessageUpdated(leaveMessageID: leave1, channel: "web", visitorID: "v-2002", sessionID: s5,
                                      state: .closed, agentID: agentA), "18:30:00"),
            entry(LeaveMessageUpdated(leaveMessageID: leave1, channel: "web", visitorID: "v-2002", sessionID: s5,
                                      state: .unclaimed), "17:01:00"),
            entry(LeaveMessageUpdated(leaveMessageID: leave1, channel: "web", visitorID: "v-2002", sessionID: s5,
                                      state: .claimed, agentID: agentA), "18:00:00"),
        ]
        return all
    }

    static let a = agentA.description
    static let b = agentB.description

    /// The sessions export in Asia/Shanghai, header first.
    static let sessionsShanghaiBeforeSummaries: [[String]] = [
        [
            "session_id", "channel", "visitor_id", "type", "agent_ids", "agent_names", "transfers", "started_at",
            "queued_at", "assigned_at", "first_response_at", "ended_at", "queue_wait_seconds", "first_response_seconds",
            "duration_seconds", "handle_seconds", "visitor_messages", "bot_messages", "agent_messages", "system_messages",
            "end_reason", "left_queue", "leave_message", "rating", "rating_comment", "group",
        ],
        [s1.description, "web", "v-1001", "bot", "", "", "0", "2026-11-25 10:00:00", "", "", "", "2026-11-25 10:01:00",
         "", "", "60.000", "", "2", "2", "0", "0", "visitor_button", "false", "false", "", "", ""],
        [s2.description, "web", "v-1002", "human", "\(a);\(b)", "客服小王;=B", "1", "2026-11-25 11:00:00",
         "2026-11-25 11:01:00", "2026-11-25 11:03:00", "2026-11-25 11:03:20", "2026-11-25 11:15:00", "120.000", "20.000",
         "900.000", "720.000", "2", "1", "2", "1", "agent", "false", "false", "4", "'=SUM(A1)", "aftersales"],
        [s3.description, "wechat", "o6_abc", "bot", "", "", "0", "2026-11-25 12:00:00", "2026-11-25 12:00:02", "", "",
         "2026-11-25 12:02:02", "", "", "122.000", "", "1", "0", "0", "0", "queue_exit", "true", "false", "", "", ""],
        [s4.description, "wechat", "'+8613800000000", "human", b, "'=B", "0", "2026-11-25 13:00:00",
         "2026-11-25 13:00:20", "2026-11-25 13:00:50", "", "2026-11-25 13:30:50", "30.000", "", "1850.000", "1800.000",
         "1", "0", "0", "0", "idle_timeout", "false", "false", "", "", "vip"],
        [s6.description, "web", "v-1006", "human", a, "客服小王", "0", "2026-11-25 14:00:00", "2026-11-25 14:00:10",
         "2026-11-25 14:00:20", "2026-11-25 14:00:25", "2026-11-25 14:05:20", "10.000", "5.000", "320.000", "300.000",
         "0", "0", "1", "0", "visitor_phrase", "false", "false", "5", "", ""],
        [s5.description, "web", "v-2002", "bot", "", "", "0", "2026-11-26 01:00:00", "", "", "", "2026-11-26 01:00:06",
         "", "", "6.000", "", "1", "0", "0", "0", "no_service", "false", "true", "", "", ""],
    ]

    /// The daily export in Asia/Shanghai (from the statistics tables).
    static let dailyShanghai: [[String]] = [
        [
            "date", "channel", "sessions", "bot_sessions", "human_sessions", "transferred_to_human", "abandoned_in_queue",
            "avg_queue_wait_seconds", "p90_queue_wait_seconds", "avg_first_response_seconds", "avg_handle_seconds",
            "visitor_messages", "bot_messages", "agent_messages", "system_messages", "ratings", "avg_rating",
            "leave_messages", "bot_feedback_useful", "bot_feedback_not_useful", "bot_resolution_rate",
        ],
        ["2026-11-25", "web", "3", "1", "2", "2", "0", "65.000", "109.000", "12.500", "510.000", "4", "3", "3", "1", "2",
         "4.50", "0", "2", "1", "0.6667"],
        ["2026-11-25", "wechat", "2", "1", "1", "2", "1", "30.000", "30.000", "", "1800.000", "2", "0", "0", "0", "0", "",
         "1", "0", "0", ""],
        ["2026-11-26", "web", "1", "1", "0", "0", "0", "", "", "", "", "1", "0", "0", "0", "0", "", "1", "0", "0", ""],
    ]

    /// The daily export in UTC (computed from the records): session 5 and left message 1 fall on the 25th.
    static let dailyUTC: [[String]] = [
        dailyShanghai[0],
        ["2026-11-25", "web", "4", "2", "2", "2", "0", "65.000", "109.000", "12.500", "510.000", "5", "3", "3", "1", "2",
         "4.50", "1", "2", "1", "0.6667"],
        ["2026-11-25", "wechat", "2", "1", "1", "2", "1", "30.000", "30.000", "", "1800.000", "2", "0", "0", "0", "0", "",
         "1", "0", "0", ""],
    ]

    /// The agents export in Asia/Shanghai.
    static let agentsShanghai: [[String]] = [
        [
            "date", "agent_id", "agent_name", "sessions", "first_assigned", "transferred_in", "transferred_out",
            "ended_sessions", "avg_queue_wait_seconds", "p90_queue_wait_seconds", "avg_first_response_seconds",
            "avg_handle_seconds", "agent_messages", "ratings", "avg_rating", "leave_messages_closed",
        ],
        ["2026-11-25", a, "客服小王", "2", "2", "0", "1", "1", "65.000", "109.000", "12.500", "260.000", "2", "1", "5.00", "0"],
        ["2026-11-25", b, "'=B", "2", "1", "1", "0", "2", "30.000", "30.000", "30.000", "1150.000", "1", "1", "4.00", "0"],
        ["2026-11-26", a, "客服小王", "0", "0", "0", "0", "0", "", "", "", "", "0", "0", "", "1"],
    ]
}
