/// Everything in an envelope except `data`: enough to dispatch, deduplicate, correlate and trace.
///
/// Decode it alone with ``EnvelopeCodec/decodeHeader(_:)`` to pick the payload type.
public struct EnvelopeHeader: Codable, Sendable, Hashable {
    /// The producer's UUID for this entry; consumers deduplicate on it (not on the Redis entry id).
    public var id: EventID
    /// The entry type.
    public var type: EventType
    /// The version of `data`'s schema for this type.
    public var version: Int
    /// When the producer created the entry.
    public var time: Timestamp
    /// Who produced it: a service (`routing`), a gateway instance or a connector (`connector-wechat`).
    public var source: String
    /// For a reply: the `id` of the request it answers.
    public var correlationID: EventID?
    /// The `id` of the entry that caused this one, for tracing.
    public var causationID: EventID?
    /// For a request: the stream the reply must be written to.
    public var replyTo: String?
    /// For a request: after this instant the requester has given up; responders skip it.
    public var expiresAt: Timestamp?

    /// Creates a header.
    public init(
        id: EventID, type: EventType, version: Int, time: Timestamp, source: String,
        correlationID: EventID? = nil, causationID: EventID? = nil, replyTo: String? = nil, expiresAt: Timestamp? = nil
    ) {
        self.id = id
        self.type = type
        self.version = version
        self.time = time
        self.source = source
        self.correlationID = correlationID
        self.causationID = causationID
        self.replyTo = replyTo
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case id, type, version, time, source
        case correlationID = "correlation_id"
        case causationID = "causation_id"
        case replyTo = "reply_to"
        case expiresAt = "expires_at"
    }

    /// Decodes the header fields, rejecting unknown types and unsupported versions.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(EventID.self, forKey: .id)
        type = try container.decode(EventType.self, forKey: .type)
        version = try container.decode(Int.self, forKey: .version)
        guard type.supportedVersions.contains(version) else {
            throw ContractError.unsupportedVersion(type: type.rawValue, version: version, supported: type.supportedVersions)
        }
        time = try container.decode(Timestamp.self, forKey: .time)
        source = try container.decode(String.self, forKey: .source)
        correlationID = try container.decodeIfPresent(EventID.self, forKey: .correlationID)
        causationID = try container.decodeIfPresent(EventID.self, forKey: .causationID)
        replyTo = try container.decodeIfPresent(String.self, forKey: .replyTo)
        expiresAt = try container.decodeIfPresent(Timestamp.self, forKey: .expiresAt)
    }

    /// Checks `source`, `reply_to`, and that requests carry `reply_to` and replies `correlation_id`.
    public func validate() throws(ContractError) {
        try FieldRules.source(source)
        if let replyTo { try FieldRules.streamKey(replyTo, field: "reply_to") }
        if type.isRequest, replyTo == nil { throw .missingField("reply_to") }
        if type.isReply, correlationID == nil { throw .missingField("correlation_id") }
    }
}
