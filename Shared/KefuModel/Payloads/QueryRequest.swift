/// `query.request` v1 (requests:`<service>`): ask a service a question or to change what it owns, and get a
/// `reply.result` on `reply_to`.
///
/// Each service documents the names it answers (e.g. `history.page` for store, `settings.get` for routing)
/// and the shape of their `params` and `result`; an unknown name gets `ok: false, code: "unknown_query"`.
public struct QueryRequest: EventPayload {
    /// The entry type.
    public static let eventType = EventType.queryRequest
    /// The data version.
    public static let version = 1

    /// What is asked, `^[a-z][a-z0-9_.]{0,63}$`, e.g. `history.page`.
    public var name: String
    /// Who asks, as the gateway authenticated them.
    public var actor: Actor
    /// The parameters, an object.
    public var params: JSONValue

    /// Creates the payload.
    public init(name: String, actor: Actor, params: JSONValue = .object([:])) {
        self.name = name
        self.actor = actor
        self.params = params
    }

    /// Checks the name, the actor and that `params` is an object.
    public func validate() throws(ContractError) {
        try FieldRules.code(name, field: "name", extra: ".")
        try actor.validate(field: "actor")
        guard params.objectValue != nil else { throw .invalidField("params", reason: "must be an object") }
    }
}
