/// `admin.update_settings` v1 (commands): an admin replaces the routing settings document.
///
/// Routing validates the whole document, stores it as the next version and audits who changed what;
/// with `expected_version` the change is refused when someone else changed the settings first.
public struct AdminUpdateSettings: EventPayload {
    /// The entry type.
    public static let eventType = EventType.adminUpdateSettings
    /// The data version.
    public static let version = 1

    /// The admin making the change.
    public var actorID: AgentID
    /// The version the admin edited; omit to overwrite whatever is current.
    public var expectedVersion: Int?
    /// The complete settings document (see `Services/Routing/README.md`).
    public var settings: JSONValue

    /// Creates the payload.
    public init(actorID: AgentID, expectedVersion: Int? = nil, settings: JSONValue) {
        self.actorID = actorID
        self.expectedVersion = expectedVersion
        self.settings = settings
    }

    enum CodingKeys: String, CodingKey {
        case settings
        case actorID = "actor_id"
        case expectedVersion = "expected_version"
    }

    /// Checks that `settings` is an object and the expected version is positive.
    public func validate() throws(ContractError) {
        if let expectedVersion { try FieldRules.integer(expectedVersion, in: 0...FieldRules.maxSafeInteger, field: "expected_version") }
        guard settings.objectValue != nil else { throw .invalidField("settings", reason: "must be an object") }
    }
}
