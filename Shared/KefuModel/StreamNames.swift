/// Every Redis stream name, derived from one prefix (default `kefu`).
///
/// Names are `<prefix>:inbound`, `<prefix>:commands`, `<prefix>:events`, `<prefix>:requests:<service>`,
/// `<prefix>:replies:<instance>` and `<stream>:dead`. A prefix is one or more colon-separated segments
/// of `[a-z0-9][a-z0-9_-]*`, at most 64 characters; one segment may be wrapped in braces as a Redis
/// Cluster hash tag (`{kefu}`) so that every stream and its dead-letter stream share a slot.
///
/// With a partition count P > 1 each shared stream (`inbound`, `commands`, `events`, `requests:<service>`)
/// is P streams `<prefix>:{p<i>}:<name>` for i in 0..<P (the prefix without its braces; the `{p<i>}` hash tag
/// puts a partition and its dead-letter stream in one Cluster slot). ``partitionKey`` stores the count of a
/// deployment. Reply streams, `signals` and other keys are not partitioned.
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
    /// Partitions per shared stream; 1 keeps the unpartitioned names.
    public let partitionCount: Int

    /// Creates names under `prefix` with `partitions` partitions per shared stream, rejecting malformed
    /// prefixes and counts outside 1...``StreamPartitions/maximumCount``.
    public init(prefix: String = StreamNames.defaultPrefix, partitions: Int = 1) throws(ContractError) {
        try Self.validatePrefix(prefix)
        guard (1...StreamPartitions.maximumCount).contains(partitions) else {
            throw .invalidName(String(partitions), reason: "a partition count must be 1-\(StreamPartitions.maximumCount)")
        }
        self.prefix = prefix
        self.partitionCount = partitions
    }

    private init(checkedPrefix: String) {
        prefix = checkedPrefix
        partitionCount = 1
    }

    /// The key holding the deployment's partition count (`<prefix>:stream_partitions`), set by the first
    /// service that starts; every service refuses to start if its own count differs.
    public var partitionKey: String { prefix + ":stream_partitions" }

    /// True for a shared stream that is partitioned when ``partitionCount`` > 1 (`inbound`, `commands`,
    /// `events`, `requests:<service>`, named without partition).
    public func isPartitioned(_ stream: String) -> Bool {
        guard stream.hasPrefix(prefix), stream.utf8.count > prefix.utf8.count + 1 else { return false }
        let rest = stream.dropFirst(prefix.count)
        guard rest.first == ":" else { return false }
        let name = rest.dropFirst()
        if name == "inbound" || name == "commands" || name == "events" { return true }
        return name.hasPrefix("requests:") && !name.dropFirst(9).isEmpty && !name.dropFirst(9).contains(":")
    }

    /// Partition `index` of the shared stream `stream`, e.g. `kefu:{p3}:events`; `stream` itself when
    /// there is one partition or the stream is not partitioned.
    public func partition(_ index: Int, of stream: String) -> String {
        guard partitionCount > 1, isPartitioned(stream) else { return stream }
        let bare = prefix.filter { $0 != "{" && $0 != "}" }
        return bare + ":{p" + String(index) + "}" + stream.dropFirst(prefix.count)
    }

    /// Every partition of `stream` in index order (just `stream` when it is not partitioned).
    public func partitions(of stream: String) -> [String] {
        guard partitionCount > 1, isPartitioned(stream) else { return [stream] }
        return (0..<partitionCount).map { partition($0, of: stream) }
    }

    /// Every partition of a shared stream kind.
    public func partitions(of kind: StreamKind) -> [String] {
        partitions(of: name(of: kind))
    }

    /// The partition of `stream` that an entry with this JSON envelope goes to (see ``StreamPartitions``).
    public func partition(of stream: String, envelope: [UInt8]) -> String {
        guard partitionCount > 1, isPartitioned(stream) else { return stream }
        return partition(StreamPartitions.index(ofEnvelope: envelope, count: partitionCount), of: stream)
    }

    /// The partition of `stream` for a session (or, before a session exists, a visitor) id.
    public func partition(of stream: String, key: String) -> String {
        guard partitionCount > 1, isPartitioned(stream) else { return stream }
        return partition(StreamPartitions.index(ofKey: key, count: partitionCount), of: stream)
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
