import KefuModel
import Testing

/// `EnvelopeCodec.decode(_:as:header:dataRange:)` decodes only `data` where the header read located it: it must
/// give the envelope the whole-envelope decode gives, and the same error for anything that decode refuses.
@Suite("Envelope decode of the data value only")
struct DataOnlyDecodeTests {
    private let good = #"{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","type":"visitor.message","version":1,"time":"2026-11-25T08:00:00.123Z","source":"connector-wechat","reply_to":"kefu:replies:x","data":{"channel":"wechat","visitor_id":"v1","client_message_id":"wx-1","text":"人工 \"引号\" \u4eba"}}"#

    private func both(_ text: String) -> (whole: Result<EventEnvelope<VisitorMessage>, ContractError>, data: Result<EventEnvelope<VisitorMessage>, ContractError>) {
        let bytes = Array(text.utf8)
        let whole = Result { () throws(ContractError) in try EnvelopeCodec.decode(bytes, as: VisitorMessage.self) }
        let data = Result { () throws(ContractError) -> EventEnvelope<VisitorMessage> in
            let (header, range) = try EnvelopeCodec.decodeHeaderLocatingData(bytes)
            guard let range else { return try EnvelopeCodec.decode(bytes, as: VisitorMessage.self, headerRead: true) }
            return try EnvelopeCodec.decode(bytes, as: VisitorMessage.self, header: header, dataRange: range)
        }
        return (whole, data)
    }

    @Test func aPlainEntryGivesTheSameEnvelope() throws {
        let (header, range) = try EnvelopeCodec.decodeHeaderLocatingData(Array(good.utf8))
        #expect(range != nil, "a plain header locates data")
        #expect(header.type == .visitorMessage)
        let (whole, data) = both(good)
        let expected = try whole.get()
        let decoded = try data.get()
        #expect(decoded.id == expected.id && decoded.time == expected.time && decoded.source == expected.source)
        #expect(decoded.replyTo == expected.replyTo && decoded.data == expected.data)
        #expect(decoded.data.content.text == "人工 \"引号\" 人")
    }

    @Test("the same error as the whole decode", arguments: [
        (#""text":"人工 \"引号\" \u4eba""#, #""text":"""#),
        (#""text":"人工 \"引号\" \u4eba""#, #""text":5"#),
        (#""visitor_id":"v1","#, ""),
        (#""channel":"wechat""#, #""channel":"wechat","priority":42"#),
        (#""channel":"wechat""#, #""channel":"wechat","session_hint":"nope""#),
    ])
    func errors(original: String, replacement: String) {
        let text = good.replacingOccurrences(of: original, with: replacement)
        let (whole, data) = both(text)
        guard case .failure(let expected) = whole else {
            Issue.record("the whole decode accepted \(text)")
            return
        }
        guard case .failure(let got) = data else {
            Issue.record("the data-only decode accepted \(text)")
            return
        }
        #expect(got == expected, "\(text)")
    }

    @Test func aHeaderOfAnotherTypeIsRefusedAsBefore() {
        let text = good.replacingOccurrences(of: #""type":"visitor.message""#, with: #""type":"visitor.rating""#)
        let bytes = Array(text.utf8)
        let whole = Result { () throws(ContractError) in try EnvelopeCodec.decode(bytes, as: VisitorMessage.self) }
        let data = Result { () throws(ContractError) -> EventEnvelope<VisitorMessage> in
            let (header, range) = try EnvelopeCodec.decodeHeaderLocatingData(bytes)
            return try EnvelopeCodec.decode(bytes, as: VisitorMessage.self, header: header, dataRange: range!)
        }
        guard case .failure(let expected) = whole, case .failure(let got) = data else {
            Issue.record("a visitor.rating header decoded as visitor.message")
            return
        }
        #expect(got == expected)
    }
}
