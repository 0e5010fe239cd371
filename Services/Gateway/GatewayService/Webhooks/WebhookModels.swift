import Foundation
import KefuModel

/// The event types an endpoint may subscribe to: every type written to `kefu:events` except the staff-only
/// ones (internal notes), which never leave Kefu.
enum WebhookEventTypes {
    static let all: [String] = EventType.allCases.filter { $0.stream == .events && !$0.isStaffOnly }.map(\.rawValue).sorted()
    static let known = Set(all)
}

/// `POST /admin/webhooks` body.
struct NewWebhookEndpoint: Decodable, Sendable {
    var url: String
    var eventTypes: [String]
    var channels: [String]?
    var description: String?
    var timeoutMs: Int?
    var enabled: Bool?

    enum CodingKeys: String, CodingKey {
        case url, channels, description, enabled
        case eventTypes = "event_types"
        case timeoutMs = "timeout_ms"
    }
}

/// `PATCH /admin/webhooks/{endpoint_id}` body: only the fields given change.
struct WebhookEndpointChanges: Decodable, Sendable {
    var url: String?
    var eventTypes: [String]?
    var channels: [String]?
    var description: String?
    var timeoutMs: Int?
    var enabled: Bool?

    enum CodingKeys: String, CodingKey {
        case url, channels, description, enabled
        case eventTypes = "event_types"
        case timeoutMs = "timeout_ms"
    }
}

/// `POST /admin/webhooks/{endpoint_id}/replay` body.
struct WebhookReplay: Decodable, Sendable {
    var from: Timestamp
    var to: Timestamp
    var includeDelivered: Bool?

    enum CodingKeys: String, CodingKey {
        case from, to
        case includeDelivered = "include_delivered"
    }
}

/// An endpoint as the admin API shows it (never its secrets).
struct WebhookEndpoint: Codable, Sendable {
    var id: UUID
    var url: String
    var description: String
    var eventTypes: [String]
    var channels: [String]
    var timeoutMs: Int
    var enabled: Bool
    var disabledReason: String?
    var disabledAt: Timestamp?
    var consecutiveFailures: Int
    var failingSince: Timestamp?
    var previousSecretExpiresAt: Timestamp?
    var createdAt: Timestamp
    var updatedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, url, description, channels, enabled
        case eventTypes = "event_types"
        case timeoutMs = "timeout_ms"
        case disabledReason = "disabled_reason"
        case disabledAt = "disabled_at"
        case consecutiveFailures = "consecutive_failures"
        case failingSince = "failing_since"
        case previousSecretExpiresAt = "previous_secret_expires_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// An endpoint with its new secret, shown once (create and rotate).
struct WebhookEndpointWithSecret: Encodable, Sendable {
    var endpoint: WebhookEndpoint
    var secret: String
}

/// One delivery as the admin API shows it.
struct WebhookDelivery: Codable, Sendable {
    var id: String
    var webhookID: String
    var eventType: String
    var sessionID: String?
    var seq: Int?
    var status: String
    var attempts: Int
    var nextAttemptAt: Timestamp?
    var lastStatusCode: Int?
    var lastLatencyMs: Int?
    var lastError: String?
    var lastAttemptAt: Timestamp?
    var deliveredAt: Timestamp?
    var createdAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, seq, status, attempts
        case webhookID = "webhook_id"
        case eventType = "event_type"
        case sessionID = "session_id"
        case nextAttemptAt = "next_attempt_at"
        case lastStatusCode = "last_status_code"
        case lastLatencyMs = "last_latency_ms"
        case lastError = "last_error"
        case lastAttemptAt = "last_attempt_at"
        case deliveredAt = "delivered_at"
        case createdAt = "created_at"
    }
}

/// One event of a batch, ready to become delivery rows.
struct WebhookEvent: Sendable {
    var eventID: String
    var type: String
    var channel: String?
    var sessionID: String?
    var seq: Int64?
    var body: String
    var time: Timestamp

    /// Builds the delivery body from a raw envelope: `{id, type, version, timestamp, session_id?, seq?, data}`.
    init(header: EnvelopeHeader, raw: [UInt8]) throws {
        let envelope = try JSONDecoder().decode(JSONValue.self, from: Data(raw))
        let data = envelope["data"] ?? .object([:])
        eventID = header.id.description
        type = header.type.rawValue
        time = header.time
        channel = data["channel"]?.stringValue
        sessionID = data["session_id"]?.stringValue.flatMap { UUID(uuidString: $0) }.map { $0.uuidString.lowercased() }
        seq = data["seq"]?.intValue.map(Int64.init)
        var object: [String: JSONValue] = [
            "id": .string(eventID), "type": .string(type), "version": .integer(Int64(header.version)),
            "timestamp": .string(header.time.rfc3339), "data": data,
        ]
        if let sessionID { object["session_id"] = .string(sessionID) }
        if let seq { object["seq"] = .integer(seq) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        body = String(decoding: try encoder.encode(JSONValue.object(object)), as: UTF8.self)
    }
}

/// A delivery claimed for sending, with what sending needs.
struct ClaimedDelivery: Sendable {
    var id: Int64
    var webhookID: String
    var body: String
    var attempts: Int
    var retrySince: Date
    var url: String
    var secrets: [String]
    var timeoutMs: Int
}

/// What one attempt came to.
struct DeliveryOutcome: Sendable {
    enum Status: String, Sendable { case delivered, failed, dead }
    var id: Int64
    var status: Status
    var statusCode: Int?
    var latencyMs: Int
    var error: String?
    var nextAttemptAt: Date?
}
