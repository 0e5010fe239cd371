/// The `data` of one entry type at one version.
///
/// Conforming types are plain values: decoding checks JSON shape, ``validate()`` checks the field rules.
public protocol EventPayload: Codable, Sendable, Equatable {
    /// The entry type this payload belongs to.
    static var eventType: EventType { get }
    /// The data version this struct encodes.
    static var version: Int { get }
    /// Checks the field rules; field paths in errors are relative to `data`.
    func validate() throws(ContractError)
}

/// Payloads of entries that concern a visitor on a channel; connectors filter events by these.
public protocol VisitorScoped: EventPayload {
    /// The channel the visitor is on.
    var channel: String { get }
    /// The visitor's id within the channel.
    var visitorID: String { get }
}

extension VisitorScoped {
    /// Validates `channel` and `visitor_id`.
    func validateVisitor() throws(ContractError) {
        try FieldRules.channel(channel)
        try FieldRules.token(visitorID, field: "visitor_id")
    }
}
