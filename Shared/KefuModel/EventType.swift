/// Every entry type of the contract, by its wire name.
public enum EventType: String, CaseIterable, Sendable, Hashable, Codable {
    /// A visitor sent text or an image (inbound).
    case visitorMessage = "visitor.message"
    /// A visitor pressed "transfer to human" (inbound).
    case visitorRequestHuman = "visitor.request_human"
    /// A visitor pressed the end button (inbound).
    case visitorEnd = "visitor.end"
    /// A visitor rated a human session (inbound).
    case visitorRating = "visitor.rating"
    /// A visitor said whether a bot answer helped (有用 / 没用) (inbound).
    case visitorFeedback = "visitor.feedback"
    /// A visitor left the queue (inbound).
    case visitorExitQueue = "visitor.exit_queue"
    /// A visitor left a message for later (inbound).
    case visitorLeaveMessage = "visitor.leave_message"
    /// An agent sent text or an image (commands).
    case agentMessage = "agent.message"
    /// An agent transferred a session to another agent (commands).
    case agentTransfer = "agent.transfer"
    /// An agent ended a session (commands).
    case agentEndSession = "agent.end_session"
    /// An agent changed status (commands).
    case agentSetStatus = "agent.set_status"
    /// An agent's workbench is connected; renews presence (commands).
    case agentHeartbeat = "agent.heartbeat"
    /// An agent claimed or closed a left message (commands).
    case agentHandleLeaveMessage = "agent.handle_leave_message"
    /// An admin replaced the routing settings (commands).
    case adminUpdateSettings = "admin.update_settings"
    /// An agent account was created or changed (commands).
    case adminUpsertAgent = "admin.upsert_agent"
    /// The serving agent blocked a session's visitor (拉黑) (commands).
    case agentBlockVisitor = "agent.block_visitor"
    /// An admin lifted a visitor block (commands).
    case adminLiftBlock = "admin.lift_block"
    /// An admin blocked the visitor of any session from the records (commands).
    case adminBlockVisitor = "admin.block_visitor"
    /// A supervisor (or admin) moved any session to another agent from the monitor (commands).
    case supervisorTransfer = "supervisor.transfer"
    /// A supervisor (or admin) ended any session from the monitor (commands).
    case supervisorEndSession = "supervisor.end_session"
    /// A member of staff wrote an internal note (内部备注) into a session (commands).
    case agentNote = "agent.note"
    /// An admin created or renamed a session-summary category (commands).
    case adminUpsertSummaryCategory = "admin.upsert_summary_category"
    /// An admin deleted a session-summary category (commands).
    case adminDeleteSummaryCategory = "admin.delete_summary_category"
    /// An agent wrote a session's summary (会话小结) (commands).
    case agentSubmitSummary = "agent.submit_summary"
    /// A question or change for a service, answered by `reply.result` (requests:<service>).
    case queryRequest = "query.request"
    /// The answer to a `query.request` or to a command with `reply_to` (the request's `reply_to`).
    case replyResult = "reply.result"
    /// Routing asks knowledge to answer a visitor question (requests:knowledge).
    case botQuestion = "bot.question"
    /// Knowledge's answer, sent to the question's `reply_to` (commands).
    case botAnswer = "bot.answer"
    /// A session began (events).
    case sessionCreated = "session.created"
    /// A session joined the queue for a human agent (events).
    case sessionQueued = "session.queued"
    /// A queued visitor's position changed (events).
    case queuePosition = "queue.position"
    /// An agent took a session (events).
    case sessionAssigned = "session.assigned"
    /// A session moved to another agent (events).
    case sessionTransferred = "session.transferred"
    /// A session ended (events).
    case sessionEnded = "session.ended"
    /// Routing accepted a message into a session's transcript with its sequence number (events).
    case messageAccepted = "message.accepted"
    /// A visitor's rating was recorded (events).
    case ratingRecorded = "rating.recorded"
    /// A visitor's feedback on a bot answer was recorded (events).
    case feedbackRecorded = "feedback.recorded"
    /// An agent's status, presence, capacity or load changed (events).
    case agentUpdated = "agent.updated"
    /// A message was left, claimed or closed (events).
    case leaveMessageUpdated = "leave_message.updated"
    /// Smart-assist suggestions for a visitor question in a human session (events, by knowledge).
    case assistSuggested = "assist.suggested"
    /// A knowledge entry changed (events, by knowledge).
    case knowledgeChanged = "knowledge.changed"
    /// Routing refused a blocked visitor's message or request without a session (events).
    case visitorRefused = "visitor.refused"
    /// Routing accepted an internal note into a session's history; staff only (events).
    case noteAdded = "note.added"
    /// Routing recorded a session's summary; staff only (events).
    case summaryRecorded = "summary.recorded"

    /// Decodes a wire name, throwing ``ContractError/unknownType(_:)`` for names this build does not know.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let type = EventType(rawValue: raw) else { throw ContractError.unknownType(String(raw.prefix(80))) }
        self = type
    }

    /// The stream producers write this type to (a reply goes to the request's `reply_to` instead).
    public var stream: StreamKind {
        switch self {
        case .visitorMessage, .visitorRequestHuman, .visitorEnd, .visitorRating, .visitorFeedback, .visitorExitQueue,
             .visitorLeaveMessage:
            .inbound
        case .agentMessage, .agentTransfer, .agentEndSession, .agentSetStatus, .agentHeartbeat,
             .agentHandleLeaveMessage, .adminUpdateSettings, .adminUpsertAgent, .botAnswer,
             .agentBlockVisitor, .adminLiftBlock, .adminBlockVisitor, .supervisorTransfer, .supervisorEndSession, .agentNote,
             .adminUpsertSummaryCategory, .adminDeleteSummaryCategory, .agentSubmitSummary:
            .commands
        case .botQuestion:
            .requests(.knowledge)
        case .queryRequest:
            .anyRequests
        case .replyResult:
            .replyTo
        case .sessionCreated, .sessionQueued, .queuePosition, .sessionAssigned, .sessionTransferred, .sessionEnded,
             .messageAccepted, .ratingRecorded, .feedbackRecorded, .agentUpdated, .leaveMessageUpdated, .assistSuggested, .knowledgeChanged,
             .visitorRefused, .noteAdded, .summaryRecorded:
            .events
        }
    }

    /// Events only staff may see (internal notes, session summaries): the gateway never sends them to a visitor's socket, a
    /// channel feed or a webhook, store never returns them to a visitor, and a per-channel outbound stream
    /// must never carry them.
    public var isStaffOnly: Bool { self == .noteAdded || self == .summaryRecorded }

    /// Data versions this build can decode.
    public var supportedVersions: [Int] { [payloadType.version] }

    /// Whether the envelope must carry `reply_to` (the type is a request).
    public var isRequest: Bool { self == .botQuestion || self == .queryRequest }

    /// Whether the envelope must carry `correlation_id` (the type answers a request).
    public var isReply: Bool { self == .botAnswer || self == .replyResult }

    /// The Swift payload type of the current version.
    public var payloadType: any EventPayload.Type {
        switch self {
        case .visitorMessage: VisitorMessage.self
        case .visitorRequestHuman: VisitorRequestHuman.self
        case .visitorEnd: VisitorEnd.self
        case .visitorRating: VisitorRating.self
        case .visitorFeedback: VisitorFeedback.self
        case .visitorExitQueue: VisitorExitQueue.self
        case .visitorLeaveMessage: VisitorLeaveMessage.self
        case .agentMessage: AgentMessage.self
        case .agentTransfer: AgentTransfer.self
        case .agentEndSession: AgentEndSession.self
        case .agentSetStatus: AgentSetStatus.self
        case .botQuestion: BotQuestion.self
        case .botAnswer: BotAnswer.self
        case .sessionCreated: SessionCreated.self
        case .sessionQueued: SessionQueued.self
        case .queuePosition: QueuePosition.self
        case .sessionAssigned: SessionAssigned.self
        case .sessionTransferred: SessionTransferred.self
        case .sessionEnded: SessionEnded.self
        case .messageAccepted: MessageAccepted.self
        case .ratingRecorded: RatingRecorded.self
        case .feedbackRecorded: FeedbackRecorded.self
        case .agentHeartbeat: AgentHeartbeat.self
        case .agentHandleLeaveMessage: AgentHandleLeaveMessage.self
        case .adminUpdateSettings: AdminUpdateSettings.self
        case .adminUpsertAgent: AdminUpsertAgent.self
        case .queryRequest: QueryRequest.self
        case .replyResult: ReplyResult.self
        case .agentUpdated: AgentUpdated.self
        case .leaveMessageUpdated: LeaveMessageUpdated.self
        case .assistSuggested: AssistSuggested.self
        case .knowledgeChanged: KnowledgeChanged.self
        case .agentBlockVisitor: AgentBlockVisitor.self
        case .adminLiftBlock: AdminLiftBlock.self
        case .adminBlockVisitor: AdminBlockVisitor.self
        case .supervisorTransfer: SupervisorTransfer.self
        case .supervisorEndSession: SupervisorEndSession.self
        case .visitorRefused: VisitorRefused.self
        case .agentNote: AgentNote.self
        case .noteAdded: NoteAdded.self
        case .adminUpsertSummaryCategory: AdminUpsertSummaryCategory.self
        case .adminDeleteSummaryCategory: AdminDeleteSummaryCategory.self
        case .agentSubmitSummary: AgentSubmitSummary.self
        case .summaryRecorded: SummaryRecorded.self
        }
    }
}
