/// `agent.submit_summary` v1 (commands): the agent who served a human session writes its summary (会话小结):
/// one to ten categories and a short note, at or after the end of the session. A second submission replaces
/// the first. While the `summary_required` setting is on, an agent with an ended session still waiting for its
/// summary is given no new session by the assigner.
public struct AgentSubmitSummary: EventPayload {
    /// The entry type.
    public static let eventType = EventType.agentSubmitSummary
    /// The data version.
    public static let version = 1
    /// The most categories one summary names.
    public static let maxCategories = 10
    /// The longest note, in characters.
    public static let maxNoteLength = 500

    /// The session.
    public var sessionID: SessionID
    /// The agent who served it.
    public var agentID: AgentID
    /// The categories picked, 1–10, distinct.
    public var categoryIDs: [SummaryCategoryID]
    /// The note, 0–500 characters.
    public var note: String

    /// Creates the payload.
    public init(sessionID: SessionID, agentID: AgentID, categoryIDs: [SummaryCategoryID], note: String = "") {
        self.sessionID = sessionID
        self.agentID = agentID
        self.categoryIDs = categoryIDs
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case note
        case sessionID = "session_id"
        case agentID = "agent_id"
        case categoryIDs = "category_ids"
    }

    /// Decodes the wire form (`note` defaults to empty).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sessionID = try container.decode(SessionID.self, forKey: .sessionID)
        agentID = try container.decode(AgentID.self, forKey: .agentID)
        categoryIDs = try container.decode([SummaryCategoryID].self, forKey: .categoryIDs)
        note = try container.decodeIfPresent(String.self, forKey: .note) ?? ""
    }

    /// Checks the number and distinctness of the categories and the note's length.
    public func validate() throws(ContractError) {
        guard (1...Self.maxCategories).contains(categoryIDs.count) else {
            throw .invalidField("category_ids", reason: "must name 1-\(Self.maxCategories) categories, got \(categoryIDs.count)")
        }
        guard Set(categoryIDs).count == categoryIDs.count else {
            throw .invalidField("category_ids", reason: "must not repeat a category")
        }
        try FieldRules.shortText(note, field: "note", maxLength: Self.maxNoteLength)
    }
}

/// One category of a recorded summary, with the names it had when the summary was written.
public struct SummaryCategoryRef: Codable, Sendable, Equatable {
    /// The category.
    public var categoryID: SummaryCategoryID
    /// Its name.
    public var name: String
    /// Its first-level parent, for a second-level category.
    public var parentID: SummaryCategoryID?
    /// The parent's name.
    public var parentName: String?

    /// Creates a reference.
    public init(categoryID: SummaryCategoryID, name: String, parentID: SummaryCategoryID? = nil, parentName: String? = nil) {
        self.categoryID = categoryID
        self.name = name
        self.parentID = parentID
        self.parentName = parentName
    }

    enum CodingKeys: String, CodingKey {
        case name
        case categoryID = "category_id"
        case parentID = "parent_id"
        case parentName = "parent_name"
    }
}

/// `summary.recorded` v1 (events): routing recorded a session's summary (会话小结). Staff only
/// (``EventType/isStaffOnly``): it names no visitor, and reporting keeps it with the session record.
public struct SummaryRecorded: EventPayload {
    /// The entry type.
    public static let eventType = EventType.summaryRecorded
    /// The data version.
    public static let version = 1

    /// The session.
    public var sessionID: SessionID
    /// The agent who wrote it.
    public var agentID: AgentID
    /// The categories, with their names at the time.
    public var categories: [SummaryCategoryRef]
    /// The note (masked), possibly empty.
    public var note: String

    /// Creates the payload.
    public init(sessionID: SessionID, agentID: AgentID, categories: [SummaryCategoryRef], note: String) {
        self.sessionID = sessionID
        self.agentID = agentID
        self.categories = categories
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case categories, note
        case sessionID = "session_id"
        case agentID = "agent_id"
    }

    /// Checks the number of categories, their names and the note.
    public func validate() throws(ContractError) {
        guard (1...AgentSubmitSummary.maxCategories).contains(categories.count) else {
            throw .invalidField("categories", reason: "must hold 1-\(AgentSubmitSummary.maxCategories) categories")
        }
        for (index, category) in categories.enumerated() {
            try FieldRules.text(category.name, field: "categories[\(index)].name", maxLength: AdminUpsertSummaryCategory.maxNameLength)
            if let parentName = category.parentName {
                try FieldRules.text(parentName, field: "categories[\(index)].parent_name", maxLength: AdminUpsertSummaryCategory.maxNameLength)
            }
        }
        try FieldRules.shortText(note, field: "note", maxLength: AgentSubmitSummary.maxNoteLength)
    }
}
