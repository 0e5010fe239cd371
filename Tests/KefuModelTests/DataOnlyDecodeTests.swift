import Foundation
import KefuModel
import Testing

/// `EnvelopeCodec.decode(_:as:header:dataRange:)` decodes only `data` after a plain header: it must give the same
/// envelope as the whole-envelope decode, and the same error for anything that decode refuses.
@Suite("Decoding only an envelope's data")
struct DataOnlyDecodeTests {
    private let good = #"{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","type":"visitor.message","version":1,"time":"2026-11-25T08:00:00.123Z","source":"connector-wechat","data":{"channel":"wechat","visitor_id":"v1","client_message_id":"wx-1","text":"人工"}}"#

    private func both(_ bytes: [UInt8]) -> (fast: Result<String, ContractError>, whole: Result<String, ContractError>) {
        func run(_ body: () throws(ContractError) -> any AnyEventEnvelope) -> Result<String, ContractError> {
            do throws(ContractError) {
                let envelope = try body()
                return .success(String(decoding: try envelope.encodedEntry(), as: UTF8.self))
            } catch {
                return .failure(error)
            }
        }
        let fast = run { () throws(ContractError) in
            let (header, range) = try EnvelopeCodec.locateHeader(bytes)
            return try EnvelopeCodec.decodeAny(bytes, header: header, dataRange: range)
        }
        let whole = run { () throws(ContractError) in
            let header = try EnvelopeCodec.decodeHeader(bytes)
            return try EnvelopeCodec.decodeAny(bytes, header: header)
        }
        return (fast, whole)
    }

    private func same(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let (fast, whole) = both(Array(text.utf8))
        switch (fast, whole) {
        case (.success(let a), .success(let b)):
            // Free-form objects (settings, params, results) are dictionaries: compared parsed, not byte for byte.
            let parsed = { (text: String) in try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }
            #expect(parsed(a) != nil && parsed(a) == parsed(b), sourceLocation: sourceLocation)
        case (.failure(let a), .failure(let b)):
            #expect(a.code == b.code, sourceLocation: sourceLocation)
            #expect("\(a)" == "\(b)", sourceLocation: sourceLocation)
        default: Issue.record("fast \(fast) but whole \(whole) for \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func aPlainEnvelopeFindsItsData() throws {
        let bytes = Array(good.utf8)
        let (_, range) = try EnvelopeCodec.locateHeader(bytes)
        let data = try #require(range)
        #expect(String(decoding: bytes[data], as: UTF8.self).hasPrefix(#"{"channel":"wechat""#))
        same(good)
    }

    @Test("every event type's sample", arguments: EventType.allCases)
    func samples(type: EventType) throws {
        let bytes = try Samples.envelope(for: type).encodedEntry()
        same(String(decoding: bytes, as: UTF8.self))
    }

    @Test("broken data gives the whole decode's error", arguments: [
        (#""visitor_id":"v1","#, "", "missing_field"),
        (#""visitor_id":"v1""#, #""visitor_id":7"#, "invalid_field"),
        (#""text":"人工""#, #""text":"人工","image":{"image_id":"x"}"#, "invalid_field"),
        (#""text":"人工""#, #""text":"""#, "invalid_field"),
        (#""channel":"wechat""#, #""channel":"we chat""#, "invalid_field"),
        (#""data":{"#, #""data":[1],"x":{"#, "invalid_field"),
    ])
    func brokenData(original: String, replacement: String, code: String) {
        same(good.replacingOccurrences(of: original, with: replacement))
    }

    @Test func aHeaderThatIsNotPlainStillDecodes() {
        same(good.replacingOccurrences(of: #""source":"connector-wechat""#, with: #""source":"connector\u002dwechat""#))
    }

    @Test func randomIdentifiersAreVersion4AndDistinct() {
        var seen = Set<UUID>()
        for _ in 0..<10_000 {
            let uuid = UUID.randomV4()
            let text = uuid.lowercasedText
            #expect(Array(text)[14] == "4")
            #expect("89ab".contains(Array(text)[19]))
            seen.insert(uuid)
        }
        #expect(seen.count == 10_000)
        #expect(EventID.random() != EventID.random())
    }
}
