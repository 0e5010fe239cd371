import Foundation
import KefuModel

/// One valid envelope of every entry type, built with the Swift structs.
enum Samples {
    static let time = Timestamp(rfc3339: "2026-11-25T08:00:00.123Z")!
    static let session = SessionID("3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a90")!
    static let agent = AgentID("8b0e6f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b")!
    static let otherAgent = AgentID("c4d5e6f7-0a1b-4c2d-9e3f-4a5b6c7d8e9f")!
    static let question = EventID("5d6e7f80-9a1b-4c2d-8e3f-405162738495")!
    static let image = ImageRef(.stored(ImageID("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")!), mimeType: .png)
    static let file = FileRef(fileID: FileID("b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e")!, name: "报价单 v2.pdf", size: 48213, mimeType: .pdf)

    static func envelope(for type: EventType) -> any AnyEventEnvelope {
        switch type {
        case .visitorMessage:
            make(VisitorMessage(
                channel: "wechat", visitorID: "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", clientMessageID: "wx-23890771",
                content: .text("你好，我的订单还没发货"), attributes: ["name": "王先生", "device": "app"]
            ), source: "connector-wechat")
        case .visitorRequestHuman:
            make(VisitorRequestHuman(channel: "web", visitorID: "v-1001", sessionHint: session), source: "gateway-a1")
        case .visitorEnd:
            make(VisitorEnd(channel: "web", visitorID: "v-1001", sessionHint: session), source: "gateway-a1")
        case .visitorRating:
            make(VisitorRating(channel: "web", visitorID: "v-1001", sessionID: session, stars: 5, comment: "很快解决了"),
                 source: "gateway-a1")
        case .visitorFeedback:
            make(VisitorFeedback(channel: "web", visitorID: "v-1001", sessionID: session, seq: 5, useful: true), source: "gateway-a1")
        case .visitorExitQueue:
            make(VisitorExitQueue(channel: "wechat", visitorID: "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"), source: "connector-wechat")
        case .visitorLeaveMessage:
            make(VisitorLeaveMessage(
                channel: "web", visitorID: "v-1001", name: "李女士", problemDescription: "发票抬头写错了，请联系我修改",
                phone: "+86 138-0000-0000", images: [image, ImageRef(.url("https://cdn.example.com/a.jpg"), mimeType: .jpeg)]
            ), source: "gateway-a1")
        case .agentMessage:
            make(AgentMessage(sessionID: session, agentID: agent, clientMessageID: "wb-77", content: .image(image)),
                 source: "gateway-a1")
        case .agentTransfer:
            make(AgentTransfer(sessionID: session, agentID: agent, toAgentID: otherAgent, note: "退款问题"), source: "gateway-a1")
        case .agentEndSession:
            make(AgentEndSession(sessionID: session, agentID: agent), source: "gateway-a1")
        case .agentSetStatus:
            make(AgentSetStatus(agentID: agent, status: .stopAccepting), source: "gateway-a1")
        case .botQuestion:
            make(BotQuestion(sessionID: session, questionSeq: 3, channel: "web", text: "怎么退货？"),
                 source: "routing", replyTo: "kefu:commands")
        case .botAnswer:
            make(BotAnswer(sessionID: session, questionSeq: 3, answered: false, score: 0.38,
                           suggestions: [BotSuggestion(entryID: KnowledgeEntryID("7f8091a2-b3c4-4d5e-8f60-718293a4b5c6")!, question: "怎么申请退货")]),
                 source: "knowledge", correlationID: question)
        case .sessionCreated:
            make(SessionCreated(sessionID: session, seq: 1, channel: "web", visitorID: "v-1001", attributes: ["page_url": "https://shop.example.com/"]),
                 source: "routing")
        case .sessionQueued:
            make(SessionQueued(sessionID: session, seq: 5, channel: "web", visitorID: "v-1001", reason: .keyword, priority: 10),
                 source: "routing")
        case .queuePosition:
            make(QueuePosition(sessionID: session, seq: 6, channel: "web", visitorID: "v-1001", position: 3, ahead: 2, etaSeconds: 90,
                               prompt: "您前面还有 2 人，预计等待 2 分钟"), source: "routing")
        case .sessionAssigned:
            make(SessionAssigned(sessionID: session, seq: 7, channel: "web", visitorID: "v-1001", agentID: agent, agentName: "客服小王"),
                 source: "routing")
        case .sessionTransferred:
            make(SessionTransferred(sessionID: session, seq: 10, channel: "web", visitorID: "v-1001", fromAgentID: agent,
                                    toAgentID: otherAgent, toAgentName: "客服小李"), source: "routing")
        case .sessionEnded:
            make(SessionEnded(sessionID: session, seq: 12, channel: "web", visitorID: "v-1001", reason: .agent, agentID: agent,
                              human: true, ratingInvited: true), source: "routing")
        case .messageAccepted:
            make(MessageAccepted(sessionID: session, seq: 8, channel: "web", visitorID: "v-1001", sender: .agent,
                                 agentID: agent, clientMessageID: "wb-78", content: .text("您好，请提供订单号 ***")),
                 source: "routing")
        case .ratingRecorded:
            make(RatingRecorded(sessionID: session, seq: 13, channel: "web", visitorID: "v-1001", stars: 4, agentID: agent),
                 source: "routing")
        case .feedbackRecorded:
            make(FeedbackRecorded(sessionID: session, seq: 6, channel: "web", visitorID: "v-1001", answerSeq: 5, questionSeq: 4,
                                  entryID: KnowledgeEntryID("9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d")!, useful: false),
                 source: "routing")
        case .agentHeartbeat:
            make(AgentHeartbeat(agentID: agent, ttlSeconds: 30), source: "gateway-a1")
        case .agentHandleLeaveMessage:
            make(AgentHandleLeaveMessage(agentID: agent, leaveMessageID: leaveMessage, action: .close,
                                         note: "已电话联系，重开发票"), source: "gateway-a1", replyTo: "kefu:replies:gateway-a1")
        case .adminUpdateSettings:
            make(AdminUpdateSettings(actorID: admin, expectedVersion: 7, settings: settings), source: "gateway-a1",
                 replyTo: "kefu:replies:gateway-a1")
        case .adminUpsertAgent:
            make(AdminUpsertAgent(actorID: admin, agentID: otherAgent, name: "客服小李", capacity: 5, enabled: true),
                 source: "gateway-a1")
        case .queryRequest:
            make(QueryRequest(name: "history.page", actor: .staff(agent, admin: false),
                              params: .object(["session_id": .string(session.description), "after_seq": .integer(0),
                                               "limit": .integer(50)])),
                 source: "gateway-a1", replyTo: "kefu:replies:gateway-a1")
        case .replyResult:
            make(ReplyResult.success(.object([
                "items": .array([.object([
                    "seq": .integer(2), "type": .string("message.accepted"), "time": .string("2026-11-25T08:00:00.123Z"),
                    "data": .object(["sender": .string("visitor"), "text": .string("你好，我的订单还没发货")]),
                ])]),
                "last_seq": .integer(13),
            ])), source: "store", correlationID: question)
        case .agentUpdated:
            make(AgentUpdated(agentID: agent, name: "客服小王", status: .online, present: true, capacity: 5, load: 2),
                 source: "routing")
        case .leaveMessageUpdated:
            make(LeaveMessageUpdated(leaveMessageID: leaveMessage, channel: "web", visitorID: "v-1001", sessionID: session,
                                     state: .closed, agentID: agent), source: "routing")
        case .assistSuggested:
            make(AssistSuggested(sessionID: session, questionSeq: 9, agentID: agent, suggestions: [
                AssistSuggestion(entryID: entry, question: "怎么申请退货？", text: "签收后七天内可在“我的订单”中申请退货。", score: 0.92),
                AssistSuggestion(entryID: otherEntry, question: "退款多久到账？", text: "退款在审核通过后 1-3 个工作日原路退回。",
                                 score: 0.41),
            ]), source: "knowledge")
        case .knowledgeChanged:
            make(KnowledgeChanged(entryID: entry, change: .upserted), source: "knowledge")
        case .agentBlockVisitor:
            make(AgentBlockVisitor(sessionID: session, agentID: agent, reason: "辱骂客服", durationMinutes: 1440),
                 source: "gateway-a1", replyTo: "kefu:replies:gateway-a1")
        case .adminLiftBlock:
            make(AdminLiftBlock(actorID: admin, blockID: BlockID("5b6c7d8e-9f01-4a2b-8c3d-4e5f60718293")!), source: "gateway-a1",
                 replyTo: "kefu:replies:gateway-a1")
        case .adminBlockVisitor:
            make(AdminBlockVisitor(actorID: admin, sessionID: session, reason: "骚扰客服", durationMinutes: 10_080), source: "gateway-a1",
                 replyTo: "kefu:replies:gateway-a1")
        case .supervisorTransfer:
            make(SupervisorTransfer(sessionID: session, supervisorID: admin, toAgentID: otherAgent, note: "主管转接：请优先处理"),
                 source: "gateway-a1", replyTo: "kefu:replies:gateway-a1")
        case .supervisorEndSession:
            make(SupervisorEndSession(sessionID: session, supervisorID: admin), source: "gateway-a1", replyTo: "kefu:replies:gateway-a1")
        case .visitorRefused:
            make(VisitorRefused(channel: "web", visitorID: "v-1001", clientMessageID: "m-42", reason: .blocked,
                                prompt: "消息暂时无法发送，请稍后再试。"), source: "routing")
        case .agentNote:
            make(AgentNote(sessionID: session, agentID: agent, role: .agent, clientNoteID: "n-7", text: "客户是老用户，已补发过一次，注意语气。"),
                 source: "gateway-a1", replyTo: "kefu:replies:gateway-a1")
        case .noteAdded:
            make(NoteAdded(sessionID: session, seq: 15, agentID: agent, role: .agent, clientNoteID: "n-7",
                           text: "客户是老用户，已补发过一次，注意语气。"), source: "routing")
        case .adminUpsertSummaryCategory:
            make(AdminUpsertSummaryCategory(actorID: admin, categoryID: refundCategory, parentID: afterSalesCategory, name: "退款进度", position: 1),
                 source: "gateway-a1", replyTo: "kefu:replies:gateway-a1")
        case .adminDeleteSummaryCategory:
            make(AdminDeleteSummaryCategory(actorID: admin, categoryID: refundCategory), source: "gateway-a1", replyTo: "kefu:replies:gateway-a1")
        case .agentSubmitSummary:
            make(AgentSubmitSummary(sessionID: session, agentID: agent, categoryIDs: [refundCategory], note: "已告知退款 1-3 个工作日到账。"),
                 source: "gateway-a1", replyTo: "kefu:replies:gateway-a1")
        case .summaryRecorded:
            make(SummaryRecorded(sessionID: session, agentID: agent, categories: [
                SummaryCategoryRef(categoryID: refundCategory, name: "退款进度", parentID: afterSalesCategory, parentName: "售后"),
            ], note: "已告知退款 1-3 个工作日到账。"), source: "routing")
        }
    }

    static let admin = AgentID("d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6")!
    static let afterSalesCategory = SummaryCategoryID("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")!
    static let refundCategory = SummaryCategoryID("2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e")!
    static let leaveMessage = LeaveMessageID("e7f8a9b0-c1d2-4e3f-a4b5-c6d7e8f9a0b1")!
    static let entry = KnowledgeEntryID("7f8091a2-b3c4-4d5e-8f60-718293a4b5c6")!
    static let otherEntry = KnowledgeEntryID("8a9b0c1d-2e3f-4a5b-9c6d-7e8f9a0b1c2d")!

    /// A routing settings document: free-form JSON as far as the contract is concerned.
    static let settings = JSONValue.object([
        "human_service_enabled": .bool(true),
        "channels": .object(["web": .object([
            "human_enabled": .bool(true), "transfer_keywords": .array([.string("人工"), .string("转人工")]),
            "bot_failures": .integer(2), "transfer_button": .bool(true),
        ])]),
        "queue": .object([
            "prompt": .string("您前面还有 {ahead} 人，预计等待 {eta_minutes} 分钟"), "max_length": .integer(50),
            "timeout_seconds": .integer(600), "exit_keywords": .array([.string("退出排队")]),
        ]),
        "rating_enabled": .bool(true),
        "idle_end_after_seconds": .integer(900),
        "eta_factor": .number(1.5),
    ])

    /// More envelopes that exercise the other shapes: images, absent optional fields, other enum cases.
    static let variants: [any AnyEventEnvelope] = [
        make(VisitorMessage(channel: "h5", visitorID: "v-2", clientMessageID: "m-2",
                            content: .image(ImageRef(.url("https://cdn.example.com/p%20q.jpg")))), source: "gateway-a1"),
        make(VisitorRating(channel: "web", visitorID: "v-3", sessionID: session, stars: 1), source: "gateway-a1"),
        make(VisitorLeaveMessage(channel: "web", visitorID: "v-4", problemDescription: "请回电", email: "li@example.com"),
             source: "gateway-a1"),
        make(AgentMessage(sessionID: session, agentID: agent, clientMessageID: "wb-1", content: .text("好的")), source: "gateway-a1"),
        make(AgentSetStatus(agentID: agent, status: .online), source: "gateway-a1"),
        make(BotAnswer(sessionID: session, questionSeq: 1, answered: true, text: "七天无理由退货。",
                       entryID: KnowledgeEntryID("7f8091a2-b3c4-4d5e-8f60-718293a4b5c6")!, score: 0.82),
             source: "knowledge", correlationID: question),
        make(BotQuestion(sessionID: session, questionSeq: 9, channel: "wechat", text: "发票"), source: "routing",
             replyTo: "kefu:commands"),
        make(SessionCreated(sessionID: session, seq: 1, channel: "web", visitorID: "v-5"), source: "routing"),
        make(SessionQueued(sessionID: session, seq: 4, channel: "web", visitorID: "v-5", reason: .agentGone, priority: 0), source: "routing"),
        make(QueuePosition(sessionID: session, seq: 5, channel: "web", visitorID: "v-5", position: 1, ahead: 0, prompt: "马上为您接入"),
             source: "routing"),
        make(SessionEnded(sessionID: session, seq: 3, channel: "web", visitorID: "v-5", reason: .noService, human: false,
                          ratingInvited: false), source: "routing"),
        make(MessageAccepted(sessionID: session, seq: 1, channel: "web", visitorID: "v-5", sender: .visitor,
                             clientMessageID: "m-9", content: .image(image)), source: "routing"),
        make(MessageAccepted(sessionID: session, seq: 4, channel: "web", visitorID: "v-5", sender: .visitor,
                             clientMessageID: "m-10", content: .file(file)), source: "routing"),
        make(VisitorMessage(channel: "web", visitorID: "v-5", clientMessageID: "m-10", content: .file(file)), source: "gateway-a1"),
        make(AgentMessage(sessionID: session, agentID: agent, clientMessageID: "wb-2", content: .file(file)), source: "gateway-a1"),
        make(MessageAccepted(sessionID: session, seq: 2, channel: "web", visitorID: "v-5", sender: .system,
                             content: .text("会话已结束")), source: "routing"),
        make(RatingRecorded(sessionID: session, seq: 9, channel: "web", visitorID: "v-5", stars: 2, comment: "等太久"), source: "routing"),
        make(MessageAccepted(sessionID: session, seq: 3, channel: "web", visitorID: "v-5", sender: .bot,
                             content: .text("七天无理由退货。"), entryID: KnowledgeEntryID("7f8091a2-b3c4-4d5e-8f60-718293a4b5c6")!),
             source: "routing"),
        make(AgentHandleLeaveMessage(agentID: otherAgent, leaveMessageID: leaveMessage, action: .claim), source: "gateway-b2"),
        make(AdminUpdateSettings(actorID: admin, settings: .object([:])), source: "gateway-a1"),
        make(AdminUpsertAgent(actorID: admin, agentID: agent, name: "客服小王", capacity: 0, enabled: false), source: "gateway-a1",
             replyTo: "kefu:replies:gateway-a1"),
        make(QueryRequest(name: "visitor.current", actor: Actor(role: .visitor, channel: "web", visitorID: "v-1001")),
             source: "gateway-a1", replyTo: "kefu:replies:gateway-a1"),
        make(QueryRequest(name: "stats.rebuild", actor: Actor(role: .service),
                          params: .object(["from": .string("2026-11-01"), "to": .string("2026-11-24")])),
             source: "reporting-cli", replyTo: "kefu:replies:reporting-cli"),
        make(QueryRequest(name: "kb.test", actor: .staff(admin, admin: true), params: .object(["question": .string("怎么退货？")])),
             source: "routing", replyTo: "kefu:commands"),
        make(ReplyResult.success(), source: "routing", correlationID: question),
        make(ReplyResult.failure(code: "agent_full", message: "客服小李当前接待已满，请选择其他客服"), source: "routing",
             correlationID: question),
        make(ReplyResult(ok: true, message: "已导入 12 条", result: .array([.integer(12), .number(0.5), .null, .bool(false)])),
             source: "knowledge", correlationID: question),
        make(AgentUpdated(agentID: otherAgent, name: "客服小李", status: .stopAccepting, present: false, capacity: 0, load: 0),
             source: "routing"),
        make(LeaveMessageUpdated(leaveMessageID: leaveMessage, channel: "wechat", visitorID: "o6_bmjrPTlm6_2sgVt7hMZOPfL2M",
                                 state: .unclaimed), source: "routing"),
        make(AssistSuggested(sessionID: session, questionSeq: 4, agentID: otherAgent, suggestions: []), source: "knowledge"),
        make(KnowledgeChanged(entryID: otherEntry, change: .deleted), source: "knowledge"),
    ]

    static func make<Payload: EventPayload>(
        _ data: Payload, source: String, correlationID: EventID? = nil, replyTo: String? = nil
    ) -> EventEnvelope<Payload> {
        EventEnvelope(time: time, source: source, correlationID: correlationID, replyTo: replyTo, data: data)
    }

    /// A valid `visitor.message` as a JSON object, edited by `mutate`, then serialized.
    static func visitorMessageEntry(_ mutate: (inout [String: Any], inout [String: Any]) -> Void = { _, _ in }) -> [UInt8] {
        var envelope: [String: Any] = [
            "id": "0f8fad5b-d9cb-469f-a165-70867728950e", "type": "visitor.message", "version": 1,
            "time": "2026-11-25T08:00:00.123Z", "source": "connector-wechat",
        ]
        var data: [String: Any] = ["channel": "wechat", "visitor_id": "v1", "client_message_id": "m1", "text": "hello"]
        mutate(&envelope, &data)
        envelope["data"] = data
        return Array(try! JSONSerialization.data(withJSONObject: envelope))
    }
}
