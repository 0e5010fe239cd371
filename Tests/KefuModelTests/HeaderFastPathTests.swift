import KefuModel
import Testing

/// `EnvelopeCodec.decodeHeader` reads plain headers straight from the strict scan and hands everything else to
/// the typed decoder: both paths must give the same header or the same error.
@Suite("Header decode without a JSON decoder")
struct HeaderFastPathTests {
    private let good = #"{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","type":"visitor.message","version":1,"time":"2026-11-25T08:00:00.123Z","source":"connector-wechat","data":{"channel":"wechat","visitor_id":"v1","client_message_id":"wx-1","text":"人工"}}"#

    private func header(_ text: String) throws -> EnvelopeHeader {
        try EnvelopeCodec.decodeHeader(Array(text.utf8))
    }

    private func error(_ bytes: [UInt8]) -> ContractError? {
        do {
            _ = try EnvelopeCodec.decodeHeader(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func aPlainHeaderHasEveryField() throws {
        let text = good.replacingOccurrences(
            of: #""source":"connector-wechat""#,
            with: #""source":"gateway-1","reply_to":"kefu:replies:gateway-1","correlation_id":"1f8fad5b-d9cb-469f-a165-70867728950e","causation_id":"2F8FAD5B-D9CB-469F-A165-70867728950E","expires_at":"2026-11-25T08:00:30Z""#)
        let decoded = try header(text)
        #expect(decoded.id.description == "0f8fad5b-d9cb-469f-a165-70867728950e")
        #expect(decoded.type == .visitorMessage)
        #expect(decoded.version == 1)
        #expect(decoded.time.rfc3339 == "2026-11-25T08:00:00.123Z")
        #expect(decoded.source == "gateway-1")
        #expect(decoded.replyTo == "kefu:replies:gateway-1")
        #expect(decoded.correlationID?.description == "1f8fad5b-d9cb-469f-a165-70867728950e")
        #expect(decoded.causationID?.description == "2f8fad5b-d9cb-469f-a165-70867728950e")
        #expect(decoded.expiresAt?.rfc3339 == "2026-11-25T08:00:30.000Z")
    }

    @Test func escapesAndWhitespaceGiveTheSameHeader() throws {
        let plain = try header(good)
        let escaped = good
            .replacingOccurrences(of: #""source":"connector-wechat""#, with: #""source" : "connector\u002dwechat""#)
            .replacingOccurrences(of: #""type":"visitor.message""#, with: "\n \"type\":\t\"visitor\\u002emessage\"")
        #expect(try header(escaped) == plain)
    }

    @Test("the typed decoder's errors", arguments: [
        (#""version":1"#, #""version":9"#, "unsupported_version"),
        (#""type":"visitor.message""#, #""type":"visitor.teleport""#, "unknown_type"),
        (#""id":"0f8fad5b-d9cb-469f-a165-70867728950e""#, #""id":"nope""#, "not_a_uuid"),
        (#""time":"2026-11-25T08:00:00.123Z""#, #""time":"yesterday""#, "invalid_field"),
        (#""source":"connector-wechat","#, "", "missing_field"),
    ])
    func errors(original: String, replacement: String, code: String) {
        let text = good.replacingOccurrences(of: original, with: replacement)
        #expect(error(Array(text.utf8))?.code == code, "\(text)")
    }

    @Test("malformed JSON stays not_json", arguments: [
        #""client_message_id":"wx-1"#, #""client_message_id":wx"#, #""client_message_id":"wx-1",,"a":1"#,
        #""client_message_id":tru"#,
    ])
    func malformed(member: String) {
        let text = good.replacingOccurrences(of: #""client_message_id":"wx-1""#, with: member)
        #expect(error(Array(text.utf8))?.code == "not_json", "\(text)")
    }

    @Test func numbersJSONAllowsAreAccepted() throws {
        for number in ["0", "-0", "12", "-3.25", "1e9", "2.5E-3", "7e+2"] {
            let text = good.replacingOccurrences(of: #""text":"人工""#, with: #""text":"人工","n":\#(number)"#)
            #expect(try header(text).type == .visitorMessage, "\(number)")
        }
    }

    @Test func invalidUTF8IsNotJSON() {
        var bytes = Array(good.utf8)
        let at = bytes.firstIndex(of: UInt8(ascii: "w"))!
        bytes[at] = 0xFF
        #expect(error(bytes)?.code == "not_json")
    }
}
