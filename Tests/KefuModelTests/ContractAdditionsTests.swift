import Foundation
import KefuModel
import Testing

/// The rules of the contract v1 additions: session-wide `seq`, actors, queries and replies, the new
/// commands and events, and free-form JSON.
@Suite("Contract additions: seq, queries, replies, agents, leave messages, assist")
struct ContractAdditionsTests {
    let session = Samples.session
    let agent = Samples.agent

    @Test("every session event rejects seq 0 and accepts seq 1")
    func sessionEventsNeedSeq() {
        let events: [(Int) -> any EventPayload] = [
            { SessionCreated(sessionID: session, seq: $0, channel: "web", visitorID: "v") },
            { SessionQueued(sessionID: session, seq: $0, channel: "web", visitorID: "v", reason: .keyword, priority: 0) },
            { QueuePosition(sessionID: session, seq: $0, channel: "web", visitorID: "v", position: 1, ahead: 0, prompt: "请稍候") },
            { SessionAssigned(sessionID: session, seq: $0, channel: "web", visitorID: "v", agentID: agent, agentName: "客服小王") },
            { SessionTransferred(sessionID: session, seq: $0, channel: "web", visitorID: "v", fromAgentID: agent,
                                 toAgentID: Samples.otherAgent, toAgentName: "客服小李") },
            { SessionEnded(sessionID: session, seq: $0, channel: "web", visitorID: "v", reason: .idleTimeout, human: false,
                           ratingInvited: false) },
            { RatingRecorded(sessionID: session, seq: $0, channel: "web", visitorID: "v", stars: 5) },
            { MessageAccepted(sessionID: session, seq: $0, channel: "web", visitorID: "v", sender: .bot, content: .text("hi")) },
        ]
        for make in events {
            let zero = make(0)
            #expect(throws: ContractError.invalidField("seq", reason: "must be between 1 and \(FieldRules.maxSafeInteger), got 0"),
                    "\(type(of: zero))") { try zero.validate() }
            #expect(throws: Never.self, "\(type(of: zero))") { try make(1).validate() }
        }
    }

    @Test("a session event without seq on the wire is rejected with its path")
    func seqMissingOnTheWire() throws {
        let sample = Samples.envelope(for: .sessionAssigned)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(try sample.encodedEntry())) as? [String: Any])
        var data = try #require(object["data"] as? [String: Any])
        data["seq"] = nil
        object["data"] = data
        let bytes = Array(try JSONSerialization.data(withJSONObject: object))
        #expect(throws: ContractError.missingField("data.seq")) { try EnvelopeCodec.decodeAny(bytes) }
    }

    @Test("codes and query names", arguments: [
        ("agent_full", "", true), ("history.page", ".", true), ("history.page", "", false), ("Agent", "", false),
        ("1st", "", false), ("", "", false), ("a-b", "", false), (String(repeating: "a", count: 64), "", true),
        (String(repeating: "a", count: 65), "", false), ("未知", "", false),
    ])
    func codes(value: String, extra: String, valid: Bool) {
        #expect(((try? FieldRules.code(value, field: "code", extra: extra)) != nil) == valid)
    }

    @Test("actors carry what their role needs")
    func actors() {
        #expect(throws: ContractError.missingField("actor.agent_id")) { try Actor(role: .agent).validate(field: "actor") }
        #expect(throws: ContractError.missingField("actor.agent_id")) { try Actor(role: .admin).validate(field: "actor") }
        #expect(throws: ContractError.missingField("actor.visitor_id")) {
            try Actor(role: .visitor, channel: "web").validate(field: "actor")
        }
        #expect(throws: ContractError.missingField("actor.channel")) {
            try Actor(role: .visitor, visitorID: "v-1").validate(field: "actor")
        }
        #expect(throws: ContractError.self) { try Actor(role: .visitor, channel: "Web", visitorID: "v-1").validate(field: "actor") }
        #expect(throws: Never.self) { try Actor(role: .service).validate(field: "actor") }
        #expect(Actor.staff(agent, admin: true) == Actor(role: .admin, agentID: agent))
    }

    @Test("query requests need a name, a valid actor and object params")
    func queryRequests() {
        let admin = Actor.staff(agent, admin: true)
        #expect(throws: Never.self) { try QueryRequest(name: "settings.get", actor: admin).validate() }
        #expect(throws: ContractError.self) { try QueryRequest(name: "Settings.get", actor: admin).validate() }
        #expect(throws: ContractError.invalidField("params", reason: "must be an object")) {
            try QueryRequest(name: "kb.list", actor: admin, params: .array([])).validate()
        }
        #expect(throws: ContractError.missingField("actor.agent_id")) {
            try QueryRequest(name: "agent.me", actor: Actor(role: .agent)).validate()
        }
    }

    @Test("a query request without reply_to is rejected, a command may carry one")
    func replyToRules() throws {
        let request = EventEnvelope(time: Samples.time, source: "gateway-a1",
                                    data: QueryRequest(name: "agent.me", actor: .staff(agent, admin: false)))
        #expect(throws: ContractError.missingField("reply_to")) { try EnvelopeCodec.encode(request) }
        let command = EventEnvelope(time: Samples.time, source: "gateway-a1", replyTo: "kefu:replies:gateway-a1",
                                    data: AgentHeartbeat(agentID: agent, ttlSeconds: 30))
        let decoded = try EnvelopeCodec.decode(try EnvelopeCodec.encode(command), as: AgentHeartbeat.self)
        #expect(decoded.header.replyTo == "kefu:replies:gateway-a1")
        let reply = EventEnvelope(time: Samples.time, source: "routing", data: ReplyResult.success())
        #expect(throws: ContractError.missingField("correlation_id")) { try EnvelopeCodec.encode(reply) }
    }

    @Test("reply results: a code exactly with ok false, and then a message")
    func replyResults() {
        #expect(throws: Never.self) { try ReplyResult.success(.object(["version": .integer(8)])).validate() }
        #expect(throws: Never.self) { try ReplyResult.failure(code: "unknown_session", message: "会话不存在").validate() }
        #expect(throws: ContractError.invalidField("code", reason: "must be absent when `ok` is true")) {
            try ReplyResult(ok: true, code: "agent_full").validate()
        }
        #expect(throws: ContractError.missingField("code")) { try ReplyResult(ok: false, message: "失败").validate() }
        #expect(throws: ContractError.missingField("message")) { try ReplyResult(ok: false, code: "agent_full").validate() }
        #expect(throws: ContractError.self) { try ReplyResult.failure(code: "Agent-Full", message: "x").validate() }
        #expect(throws: ContractError.self) { try ReplyResult.failure(code: "agent_full", message: "   ").validate() }
        #expect(throws: ContractError.self) {
            try ReplyResult.failure(code: "agent_full", message: String(repeating: "满", count: 501)).validate()
        }
    }

    @Test("heartbeat TTL is 5 to 300 seconds", arguments: [(4, false), (5, true), (300, true), (301, false)])
    func heartbeat(ttl: Int, valid: Bool) {
        #expect(((try? AgentHeartbeat(agentID: agent, ttlSeconds: ttl).validate()) != nil) == valid)
    }

    @Test("agent capacity is 0 to 50 and names are display names")
    func agents() {
        #expect(throws: ContractError.self) {
            try AdminUpsertAgent(actorID: agent, agentID: agent, name: "客服小王", capacity: 51, enabled: true).validate()
        }
        #expect(throws: ContractError.self) {
            try AdminUpsertAgent(actorID: agent, agentID: agent, name: " ", capacity: 5, enabled: true).validate()
        }
        #expect(throws: ContractError.self) {
            try AgentUpdated(agentID: agent, name: "客服小王", status: .online, present: true, capacity: 5, load: -1).validate()
        }
        #expect(throws: Never.self) {
            try AgentUpdated(agentID: agent, name: "客服小王", status: .offline, present: false, capacity: 0, load: 0).validate()
        }
    }

    @Test("settings must be an object; expected_version is not negative")
    func settings() {
        #expect(throws: ContractError.invalidField("settings", reason: "must be an object")) {
            try AdminUpdateSettings(actorID: agent, settings: .string("{}")).validate()
        }
        #expect(throws: ContractError.self) {
            try AdminUpdateSettings(actorID: agent, expectedVersion: -1, settings: .object([:])).validate()
        }
        #expect(throws: Never.self) { try AdminUpdateSettings(actorID: agent, expectedVersion: 0, settings: Samples.settings).validate() }
    }

    @Test("claimed and closed left messages name the agent; notes are at most 500")
    func leaveMessages() {
        let id = Samples.leaveMessage
        #expect(throws: ContractError.missingField("agent_id")) {
            try LeaveMessageUpdated(leaveMessageID: id, channel: "web", visitorID: "v", state: .claimed).validate()
        }
        #expect(throws: Never.self) {
            try LeaveMessageUpdated(leaveMessageID: id, channel: "web", visitorID: "v", state: .unclaimed).validate()
        }
        #expect(throws: ContractError.self) {
            try AgentHandleLeaveMessage(agentID: agent, leaveMessageID: id, action: .close,
                                        note: String(repeating: "记", count: 501)).validate()
        }
    }

    @Test("assist suggestions: at most 3, scores 0 to 1, a real question seq")
    func assist() {
        let suggestion = AssistSuggestion(entryID: Samples.entry, question: "怎么退货？", text: "七天内可退货。", score: 0.8)
        let four = AssistSuggested(sessionID: session, questionSeq: 2, agentID: agent, suggestions: Array(repeating: suggestion, count: 4))
        #expect(throws: ContractError.invalidField("suggestions", reason: "must have at most 3 items, got 4")) { try four.validate() }
        var tooSure = suggestion
        tooSure.score = 1.5
        #expect(throws: ContractError.invalidField("suggestions[0].score", reason: "must be between 0 and 1")) {
            try AssistSuggested(sessionID: session, questionSeq: 2, agentID: agent, suggestions: [tooSure]).validate()
        }
        #expect(throws: ContractError.self) {
            try AssistSuggested(sessionID: session, questionSeq: 0, agentID: agent, suggestions: []).validate()
        }
    }

    @Test("JSONValue keeps integers, fractions, null and nesting through a round trip")
    func jsonValue() throws {
        let text = #"{"a":[1,2.5,null,true,"二"],"b":{"c":-9007199254740991},"d":{}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value["a"] == .array([.integer(1), .number(2.5), .null, .bool(true), .string("二")]))
        #expect(value["b"]?["c"]?.intValue == -9_007_199_254_740_991)
        #expect(value["d"]?.objectValue?.isEmpty == true)
        let again = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        #expect(again == value)
        struct Page: Codable, Equatable { var items: [Int]; var next: String? }
        let page = Page(items: [1, 2], next: "x")
        #expect(try JSONValue(encoding: page).decode(as: Page.self) == page)
    }
}
