/// `admin.upsert_summary_category` v1 (commands): an admin creates or renames a session-summary category
/// (会话小结分类). Categories form a tree of two levels: a category with a `parent_id` is a second-level one,
/// and its parent must be a first-level category that is not deleted.
public struct AdminUpsertSummaryCategory: EventPayload {
    /// The entry type.
    public static let eventType = EventType.adminUpsertSummaryCategory
    /// The data version.
    public static let version = 1
    /// The longest name, in characters.
    public static let maxNameLength = 50

    /// The admin.
    public var actorID: AgentID
    /// The category (chosen by the caller when creating, so a resend creates nothing twice).
    public var categoryID: SummaryCategoryID
    /// The first-level parent; nil for a first-level category.
    public var parentID: SummaryCategoryID?
    /// The name, 1–50 characters, unique among its siblings.
    public var name: String
    /// The display order among its siblings, 0–9,999 (lower first).
    public var position: Int

    /// Creates the payload.
    public init(actorID: AgentID, categoryID: SummaryCategoryID, parentID: SummaryCategoryID? = nil, name: String, position: Int = 0) {
        self.actorID = actorID
        self.categoryID = categoryID
        self.parentID = parentID
        self.name = name
        self.position = position
    }

    enum CodingKeys: String, CodingKey {
        case name, position
        case actorID = "actor_id"
        case categoryID = "category_id"
        case parentID = "parent_id"
    }

    /// Decodes the wire form (`position` defaults to 0).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        actorID = try container.decode(AgentID.self, forKey: .actorID)
        categoryID = try container.decode(SummaryCategoryID.self, forKey: .categoryID)
        parentID = try container.decodeIfPresent(SummaryCategoryID.self, forKey: .parentID)
        name = try container.decode(String.self, forKey: .name)
        position = try container.decodeIfPresent(Int.self, forKey: .position) ?? 0
    }

    /// Checks the name, the position and that a category is not its own parent.
    public func validate() throws(ContractError) {
        try FieldRules.text(name, field: "name", maxLength: Self.maxNameLength)
        try FieldRules.integer(position, in: 0...9_999, field: "position")
        if parentID == categoryID { throw .invalidField("parent_id", reason: "must not be the category itself") }
    }
}

/// `admin.delete_summary_category` v1 (commands): an admin deletes a session-summary category and, for a
/// first-level one, its children. Summaries already written keep the names they were written with; agents can
/// no longer pick it (`category_deleted`).
public struct AdminDeleteSummaryCategory: EventPayload {
    /// The entry type.
    public static let eventType = EventType.adminDeleteSummaryCategory
    /// The data version.
    public static let version = 1

    /// The admin.
    public var actorID: AgentID
    /// The category.
    public var categoryID: SummaryCategoryID

    /// Creates the payload.
    public init(actorID: AgentID, categoryID: SummaryCategoryID) {
        self.actorID = actorID
        self.categoryID = categoryID
    }

    enum CodingKeys: String, CodingKey {
        case actorID = "actor_id"
        case categoryID = "category_id"
    }

    /// Nothing beyond the JSON shape to check.
    public func validate() throws(ContractError) {}
}
