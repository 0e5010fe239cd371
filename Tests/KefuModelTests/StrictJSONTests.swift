import KefuModel
import Testing

/// Duplicate keys and `null`s are refused by every decode (typed decoders would let the first or last
/// duplicate win silently, and treat `null` like an absent optional field), and the stream entry must have
/// its one `event` field and no other.
@Suite("Strict JSON")
struct StrictJSONTests {
    private func decodeError(_ text: String) -> ContractError? {
        do {
            _ = try EnvelopeCodec.decodeAny(Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    private let good = #"{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","type":"visitor.message","version":1,"time":"2026-11-25T08:00:00.123Z","source":"connector-wechat","data":{"channel":"wechat","visitor_id":"v1","client_message_id":"wx-1","text":"人工"}}"#

    @Test func theSampleIsValid() {
        #expect(decodeError(good) == nil)
    }

    @Test("duplicate keys at any depth", arguments: [
        (#""visitor_id":"v1""#, #""visitor_id":"v1","visitor_id":"v2""#, "data.visitor_id"),
        (#""version":1"#, #""version":1,"version":1"#, "version"),
        (#""text":"人工""#, #""text":"人工","attributes":{"name":"a","name":"b"}"#, "data.attributes.name"),
        (#""text":"人工""#, #""text":"人工","t\u0065xt":"x""#, "data.text"),
    ])
    func duplicateKeys(original: String, replacement: String, path: String) {
        let text = good.replacingOccurrences(of: original, with: replacement)
        #expect(decodeError(text) == .duplicateKey(path))
        #expect(decodeError(text)?.code == "duplicate_key")
    }

    @Test("duplicate keys are refused even by the header-only decode")
    func duplicateInHeaderDecode() {
        let text = good.replacingOccurrences(of: #""visitor_id":"v1""#, with: #""visitor_id":"v1","visitor_id":"v2""#)
        #expect(throws: ContractError.duplicateKey("data.visitor_id")) { _ = try EnvelopeCodec.decodeHeader(Array(text.utf8)) }
    }

    @Test("null anywhere", arguments: [
        (#""text":"人工""#, #""text":"人工","session_hint":null"#, "data.session_hint"),
        (#""source":"connector-wechat""#, #""source":"connector-wechat","reply_to":null"#, "reply_to"),
        (#""text":"人工""#, #""text":"人工","attributes":{"name":null}"#, "data.attributes.name"),
        (#""text":"人工""#, #""text":"人工","attributes":null"#, "data.attributes"),
    ])
    func nulls(original: String, replacement: String, path: String) {
        let text = good.replacingOccurrences(of: original, with: replacement)
        #expect(decodeError(text) == .invalidField(path, reason: "must not be null"))
    }

    @Test func nullsInsideFreeFormResultsAreAllowed() {
        let reply = #"{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","type":"reply.result","version":1,"time":"2026-11-25T08:00:00.123Z","source":"store","correlation_id":"1f8fad5b-d9cb-469f-a165-70867728950e","data":{"ok":true,"result":{"a":null,"b":[null]}}}"#
        #expect(decodeError(reply) == nil)
        let withNullCode = reply.replacingOccurrences(of: #""ok":true"#, with: #""ok":true,"code":null"#)
        #expect(decodeError(withNullCode) == .invalidField("data.code", reason: "must not be null"))
    }

    @Test func malformedJSONIsStillNotJSON() {
        #expect(decodeError(#"{"id":"a","id":}"#)?.code == "not_json")
    }

    @Test func theEntryHasExactlyOneEventField() throws {
        let value = Array(good.utf8)
        #expect(try EnvelopeCodec.eventValue(of: [(name: "event", value: value)]) == value)
        #expect(throws: ContractError.extraEntryFields(["trace"])) {
            _ = try EnvelopeCodec.eventValue(of: [(name: "event", value: value), (name: "trace", value: [])])
        }
        #expect(throws: ContractError.extraEntryFields(["event"])) {
            _ = try EnvelopeCodec.eventValue(of: [(name: "event", value: value), (name: "event", value: value)])
        }
        #expect(throws: ContractError.missingField("event")) {
            _ = try EnvelopeCodec.eventValue(of: [(name: "payload", value: value)])
        }
        #expect(ContractError.extraEntryFields(["trace"]).code == "extra_field")
    }
}
