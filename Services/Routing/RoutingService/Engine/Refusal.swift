/// A command or query routing refuses: nothing changes, the asker gets `{ ok: false, code, message }`.
struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The refusal codes of `docs/queries.md` that routing uses.
    enum Code: String, Sendable {
        case invalidParams = "invalid_params"
        case invalidSettings = "invalid_settings"
        case invalidSchedule = "invalid_schedule"
        case invalidTemplate = "invalid_template"
        case invalidTimezone = "invalid_timezone"
        case ratingOutOfRange = "rating_out_of_range"
        case transferToSelf = "transfer_to_self"
        case forbidden
        case unknownSession = "unknown_session"
        case unknownAgent = "unknown_agent"
        case unknownQuery = "unknown_query"
        case unknownLeaveMessage = "unknown_leave_message"
        case sessionNotActive = "session_not_active"
        case notYourSession = "not_your_session"
        case agentUnavailable = "agent_unavailable"
        case agentFull = "agent_full"
        case ratingRepeated = "rating_repeated"
        case ratingNotInvited = "rating_not_invited"
        case unknownAnswer = "unknown_answer"
        case feedbackRepeated = "feedback_repeated"
        case versionConflict = "version_conflict"
        case alreadyClaimed = "already_claimed"
        case queueFull = "queue_full"
        case noService = "no_service"
        case visitorBlocked = "visitor_blocked"
        case unknownBlock = "unknown_block"
        case alreadyLifted = "already_lifted"
        case alreadyBlocked = "already_blocked"
        case cannotBlockSelf = "cannot_block_self"
        case cannotBlockAgent = "cannot_block_agent"
        case unknownCategory = "unknown_category"
        case categoryDeleted = "category_deleted"
        case categoryTooDeep = "category_too_deep"
        case duplicateCategoryName = "duplicate_category_name"
        case unknownGroup = "unknown_group"
        case overflowCycle = "overflow_cycle"
        case agentInNoGroup = "agent_in_no_group"
    }

    var code: Code
    var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { "\(code.rawValue): \(message)" }
}
