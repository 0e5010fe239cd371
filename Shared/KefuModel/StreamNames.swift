/// Every Redis stream name, derived from one prefix (default `kefu`).
///
/// Names are `<prefix>:inbound`, `<prefix>:commands`, `<prefix>:events`, `<prefix>:requests:<service>`,
/// `<prefix>:replies:<instance>` and `<stream>:dead`. A prefix is one or more colon-separated segments
/// of `[a-z0-9][a-z0-9_-]*`, at most 64 characters; one segment may be wrapped in braces as a Redis
/// Cluster hash tag (`{kefu}`) so that every stream and its dead-letter stream share a slot.
public struct StreamNames: Sendable, Hashable {
    /// The default prefix, `kefu`.
    public static let defaultPrefix = "kefu"
    /// The single field of every stream entry; its value is the JSON envelope.
    public static let entryField = "event"
    /// The suffix of dead-letter streams.
    public static let deadLetterSuffix = ":dead"
    /// Names under the default prefix.
    public static let standard = StreamNames(checkedPrefix: defaultPrefix)

    /// The validated prefix.
    public let prefix: String

    /// Creates names under `prefix`, rejecting malformed prefixes.
    public init(prefix: String = StreamNames.defaultPrefix) throws(ContractError) {
        try Self.validatePrefix(prefix)
        self.prefix = prefix
    }

    private init(checkedPrefix: String) {
        prefix = checkedPrefix
    }

    /// Visitor events from the gateway and connectors; read by routing.
    public var inbound: String { name(of: .inbound) }
    /// Agent, admin and bot actions; read by routing.
    public var commands: String { name(of: .commands) }
    /// What happened; tailed by gateways and connectors, consumed by store and reporting.
    public var events: String { name(of: .events) }

    /// Typing and read signals between gateway instances, e.g. `kefu:signals`: ephemeral (capped, no
    /// consumer groups, never stored in PostgreSQL), tailed by every gateway instance; not part of the
    /// connector contract.
    public var signals: String { prefix + ":signals" }

    /// The request stream of a service, e.g. `kefu:requests:knowledge`.
    public func requests(service: ServiceName) -> String {
        name(of: .requests(service))
    }

    /// The stream for a shared stream kind.
    public func name(of kind: StreamKind) -> String {
        prefix + ":" + kind.suffix
    }

    /// The reply stream of one gateway instance, e.g. `kefu:replies:gateway-a1`.
    ///
    /// - Parameter instance: a stable instance name, `^[a-z0-9][a-z0-9._-]{0,63}$`.
    public func replies(instance: String) throws(ContractError) -> String {
        do {
            try FieldRules.source(instance, field: "instance")
        } catch {
            throw .invalidName(instance, reason: "an instance name must match ^[a-z0-9][a-z0-9._-]{0,63}$")
        }
        return prefix + ":replies:" + instance
    }

    /// The dead-letter stream of a stream: `<stream>:dead`.
    public func deadLetter(of stream: String) -> String {
        stream + Self.deadLetterSuffix
    }

    private static func validatePrefix(_ prefix: String) throws(ContractError) {
        guard !prefix.isEmpty, prefix.utf8.count <= 64 else {
            throw .invalidName(prefix, reason: "a prefix must be 1-64 characters")
        }
        var hashTags = 0
        for segment in prefix.split(separator: ":", omittingEmptySubsequences: false) {
            var body = Substring(segment)
            if body.hasPrefix("{"), body.hasSuffix("}"), body.count >= 3 {
                hashTags += 1
                body = body.dropFirst().dropLast()
            }
            let scalars = Array(body.unicodeScalars)
            let isLowerAlnum: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
            guard let first = scalars.first, isLowerAlnum(first),
                  scalars.dropFirst().allSatisfy({ isLowerAlnum($0) || $0 == "_" || $0 == "-" })
            else {
                throw .invalidName(prefix, reason: "each ':'-separated segment must match [a-z0-9][a-z0-9_-]* or {…} of that")
            }
        }
        guard hashTags <= 1 else { throw .invalidName(prefix, reason: "at most one segment may be a {hash tag}") }
    }
}
