import Foundation
import KefuModel

/// An event as the gateway pushes it to sockets: the routing keys it was read with and the frame
/// already rendered as JSON,
/// `{"type":"event","event":"message.accepted","session_id":…,"seq":5,"time":…,"data":{…}}`.
struct LiveEvent: Sendable {
    /// The entry type, e.g. `message.accepted`.
    var type: String
    /// `data.session_id`, lowercase.
    var sessionID: String?
    /// `data.seq` for sequenced session events.
    var seq: Int?
    /// `data.channel`.
    var channel: String?
    /// `data.visitor_id`.
    var visitorID: String?
    /// `data.agent_id`, lowercase.
    var agentID: String?
    /// `data.to_agent_id`, lowercase.
    var toAgentID: String?
    /// `data.from_agent_id`, lowercase.
    var fromAgentID: String?
    /// `data.enabled` (of `agent.updated`): false once the account was disabled.
    var enabled: Bool?
    /// `data.sender` (of `message.accepted`).
    var sender: String?
    /// The envelope's time.
    var time: String?
    /// The rendered frame.
    var frame: [UInt8]
    /// Set on a staff-only event's stand-in for a visitor's socket: its `seq` counts as delivered, nothing is sent.
    var silent = false

    /// Whether only staff may see the event (an internal note): never sent to a visitor's socket.
    var isStaffOnly: Bool { EventType(rawValue: type)?.isStaffOnly == true }

    /// A stand-in for a staff-only event at `seq` of `session`: it moves a visitor's socket past that `seq`
    /// without sending anything.
    static func hidden(session: String, seq: Int) -> LiveEvent {
        LiveEvent(type: "hidden", sessionID: session, seq: seq, frame: [], silent: true)
    }

    private struct Envelope: Decodable {
        var type: String
        var time: String?
        var data: JSONValue
    }

    private struct Frame: Encodable {
        var type = "event"
        var event: String
        var sessionID: String?
        var seq: Int?
        var time: String?
        var data: JSONValue

        enum CodingKeys: String, CodingKey {
            case type, event, seq, time, data
            case sessionID = "session_id"
        }
    }

    /// Parses an events-stream entry; nil for entries that are not JSON envelopes.
    static func parse(_ bytes: [UInt8]) -> LiveEvent? {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(bytes)) else { return nil }
        return make(type: envelope.type, time: envelope.time, data: envelope.data)
    }

    /// Builds an event from its parts (also used for history items from store).
    static func make(type: String, time: String?, data: JSONValue, sessionID fallback: String? = nil) -> LiveEvent? {
        guard data.objectValue != nil else { return nil }
        let session = data["session_id"]?.stringValue?.lowercased() ?? fallback
        let seq = data["seq"]?.intValue
        let frame = Frame(event: type, sessionID: session, seq: seq, time: time, data: data)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let bytes = try? encoder.encode(frame) else { return nil }
        return LiveEvent(
            type: type, sessionID: session, seq: seq, channel: data["channel"]?.stringValue,
            visitorID: data["visitor_id"]?.stringValue, agentID: data["agent_id"]?.stringValue?.lowercased(),
            toAgentID: data["to_agent_id"]?.stringValue?.lowercased(),
            fromAgentID: data["from_agent_id"]?.stringValue?.lowercased(),
            enabled: { if case .bool(let value)? = data["enabled"] { value } else { nil } }(),
            sender: data["sender"]?.stringValue, time: time, frame: Array(bytes))
    }

    /// Whether the event belongs to `visitor` on `channel` (never a staff-only event).
    func concerns(channel: String, visitorID: String) -> Bool {
        self.channel == channel && self.visitorID == visitorID && !isStaffOnly
    }
}

/// Renders a control frame such as `{"type":"hello",…}`.
func controlFrame(_ object: [String: JSONValue]) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array((try? encoder.encode(JSONValue.object(object))) ?? Data("{}".utf8))
}
