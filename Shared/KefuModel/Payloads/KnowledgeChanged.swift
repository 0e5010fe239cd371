/// What happened to a knowledge entry.
public enum KnowledgeChange: String, WireEnum {
    /// Created or edited (including enabled/disabled).
    case upserted
    /// Deleted.
    case deleted
}

/// `knowledge.changed` v1 (events, written by knowledge): an entry changed; every knowledge instance reloads
/// it into its matcher.
public struct KnowledgeChanged: EventPayload {
    /// The entry type.
    public static let eventType = EventType.knowledgeChanged
    /// The data version.
    public static let version = 1

    /// The entry.
    public var entryID: KnowledgeEntryID
    /// What happened.
    public var change: KnowledgeChange

    /// Creates the payload.
    public init(entryID: KnowledgeEntryID, change: KnowledgeChange) {
        self.entryID = entryID
        self.change = change
    }

    enum CodingKeys: String, CodingKey {
        case change
        case entryID = "entry_id"
    }

    /// Nothing beyond the types.
    public func validate() throws(ContractError) {}
}
