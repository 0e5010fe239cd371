/// One stream entry: the header fields plus the typed `data`.
///
/// `type` and `version` come from the payload type, so they cannot disagree with `data`.
public struct EventEnvelope<Payload: EventPayload>: Codable, Sendable, Equatable {
    /// The producer's UUID for this entry (the idempotency key).
    public var id: EventID
    /// When the producer created the entry.
    public var time: Timestamp
    /// Who produced it.
    public var source: String
    /// For a reply: the `id` of the request it answers.
    public var correlationID: EventID?
    /// The `id` of the entry that caused this one.
    public var causationID: EventID?
    /// For a request: the stream the reply must be written to.
    public var replyTo: String?
    /// For a request: after this instant responders skip it.
    public var expiresAt: Timestamp?
    /// The type-specific payload.
    public var data: Payload

    /// The entry type.
    public var type: EventType { Payload.eventType }
    /// The data version.
    public var version: Int { Payload.version }

    /// Creates an envelope with a fresh id and the current time unless given.
    public init(
        id: EventID = .random(), time: Timestamp = .now(), source: String, correlationID: EventID? = nil,
        causationID: EventID? = nil, replyTo: String? = nil, expiresAt: Timestamp? = nil, data: Payload
    ) {
        self.id = id
        self.time = time
        self.source = source
        self.correlationID = correlationID
        self.causationID = causationID
        self.replyTo = replyTo
        self.expiresAt = expiresAt
        self.data = data
    }

    /// The header of this envelope.
    public var header: EnvelopeHeader {
        EnvelopeHeader(
            id: id, type: type, version: version, time: time, source: source, correlationID: correlationID,
            causationID: causationID, replyTo: replyTo, expiresAt: expiresAt
        )
    }

    enum CodingKeys: String, CodingKey {
        case data
    }

    /// Decodes the header and `data`, requiring the header's type and version to match `Payload`.
    public init(from decoder: any Decoder) throws {
        let header = try EnvelopeHeader(from: decoder)
        guard header.type == Payload.eventType else {
            throw ContractError.wrongType(expected: Payload.eventType.rawValue, actual: header.type.rawValue)
        }
        guard header.version == Payload.version else {
            throw ContractError.unsupportedVersion(
                type: header.type.rawValue, version: header.version, supported: [Payload.version]
            )
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: header.id, time: header.time, source: header.source, correlationID: header.correlationID,
            causationID: header.causationID, replyTo: header.replyTo, expiresAt: header.expiresAt,
            data: try container.decode(Payload.self, forKey: .data)
        )
    }

    /// Encodes the header fields and `data` side by side.
    public func encode(to encoder: any Encoder) throws {
        if let compact = encoder as? CompactEncoder {
            compact.writeHeader(id: id, type: type, version: version, time: time, source: source,
                                correlationID: correlationID, causationID: causationID, replyTo: replyTo,
                                expiresAt: expiresAt)
        } else {
            try header.encode(to: encoder)
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
    }

    /// Checks the header rules and the payload rules (payload paths are reported under `data.`).
    public func validate() throws(ContractError) {
        try header.validate()
        do {
            try data.validate()
        } catch {
            throw error.nested(under: "data")
        }
    }
}

/// Any envelope, whatever its payload; returned by ``EnvelopeCodec/decodeAny(_:)``.
///
/// Dispatch with `switch envelope { case let e as EventEnvelope<VisitorMessage>: … }` or on `header.type`.
public protocol AnyEventEnvelope: Sendable {
    /// The header.
    var header: EnvelopeHeader { get }
    /// The payload as an existential.
    var anyData: any EventPayload { get }
    /// Validates and encodes this envelope, as ``EnvelopeCodec/encode(_:)`` does.
    func encodedEntry() throws(ContractError) -> [UInt8]
}

extension EventEnvelope: AnyEventEnvelope {
    /// The payload as an existential.
    public var anyData: any EventPayload { data }

    /// Validates and encodes this envelope.
    public func encodedEntry() throws(ContractError) -> [UInt8] {
        try EnvelopeCodec.encode(self)
    }
}
