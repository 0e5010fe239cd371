/// The fields added to an entry when it is moved to `<stream>:dead`.
///
/// A dead letter holds the original fields unchanged (normally just `event`) plus ``fields``.
public struct DeadLetter: Sendable, Hashable {
    /// Field name of ``reason``.
    public static let reasonField = "dead.reason"
    /// Field name of ``originalID``.
    public static let originalIDField = "dead.original_id"
    /// Field name of ``stream``.
    public static let streamField = "dead.stream"
    /// Field name of ``group``.
    public static let groupField = "dead.group"
    /// Field name of ``consumer``.
    public static let consumerField = "dead.consumer"
    /// Field name of ``deliveries``.
    public static let deliveriesField = "dead.deliveries"
    /// Field name of ``at``.
    public static let atField = "dead.at"

    /// `<code>: <message>`, e.g. `invalid_field: field `data.stars` is invalid: …` or `max_deliveries: …`.
    public var reason: String
    /// The Redis entry id in the original stream.
    public var originalID: String
    /// The original stream.
    public var stream: String
    /// The consumer group that gave up; empty for readers without a group.
    public var group: String
    /// The consumer that gave up.
    public var consumer: String
    /// Deliveries so far, from `XPENDING`.
    public var deliveries: Int
    /// When it was dead-lettered.
    public var at: Timestamp

    /// Creates the record.
    public init(
        reason: String, originalID: String, stream: String, group: String, consumer: String, deliveries: Int,
        at: Timestamp = .now()
    ) {
        self.reason = reason
        self.originalID = originalID
        self.stream = stream
        self.group = group
        self.consumer = consumer
        self.deliveries = deliveries
        self.at = at
    }

    /// The reason text for an entry that breaks the contract.
    public static func reason(for error: ContractError) -> String {
        error.code + ": " + error.description
    }

    /// The reason text for an entry that failed too often.
    public static func maxDeliveriesReason(_ deliveries: Int, lastError: String) -> String {
        "max_deliveries: failed \(deliveries) times; last error: \(lastError)"
    }

    /// The `dead.*` field-value pairs in a fixed order, to append after the original fields.
    public var fields: [(name: String, value: String)] {
        [
            (Self.reasonField, reason), (Self.originalIDField, originalID), (Self.streamField, stream),
            (Self.groupField, group), (Self.consumerField, consumer), (Self.deliveriesField, String(deliveries)),
            (Self.atField, at.rfc3339),
        ]
    }

    /// Reads the `dead.*` fields of a dead-letter entry.
    public init(fields: [String: String]) throws(ContractError) {
        func value(_ name: String) throws(ContractError) -> String {
            guard let value = fields[name] else { throw .missingField(name) }
            return value
        }
        guard let deliveries = Int(try value(Self.deliveriesField)) else {
            throw .invalidField(Self.deliveriesField, reason: "must be an integer")
        }
        guard let at = Timestamp(rfc3339: try value(Self.atField)) else {
            throw .invalidField(Self.atField, reason: "must be an RFC 3339 UTC time")
        }
        self.init(
            reason: try value(Self.reasonField), originalID: try value(Self.originalIDField),
            stream: try value(Self.streamField), group: try value(Self.groupField),
            consumer: try value(Self.consumerField), deliveries: deliveries, at: at
        )
    }
}
