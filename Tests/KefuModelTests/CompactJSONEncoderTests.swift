import Foundation
import KefuModel
import Testing

/// Both encodings of a sample whose payload type is only known at run time.
private protocol BothEncodings {
    func compact() throws -> [UInt8]
    func foundation() throws -> [UInt8]
}

extension EventEnvelope: BothEncodings {
    fileprivate func compact() throws -> [UInt8] { try CompactJSONEncoder.encode(self) }
    fileprivate func foundation() throws -> [UInt8] { try Array(Reference.encoder.encode(self)) }
}

private enum Reference {
    /// What `EnvelopeCodec` used before ``CompactJSONEncoder``.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()
}

/// Objects' keys come in encoding order from ``CompactJSONEncoder`` and in hash order from `JSONEncoder`, so
/// envelopes are compared as parsed JSON (``JSONValue`` tells `1` from `1.0`); everything else byte for byte.
@Suite("Compact JSON encoder writes what JSONEncoder writes")
struct CompactJSONEncoderTests {
    private func same(_ envelope: any AnyEventEnvelope) throws {
        let both = try #require(envelope as? any BothEncodings)
        let compact = try both.compact()
        let reference = try both.foundation()
        let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(compact))
        #expect(parsed == (try JSONDecoder().decode(JSONValue.self, from: Data(reference))))
        #expect(compact.count == reference.count)
        #expect(try EnvelopeCodec.decodeAny(compact).header == envelope.header)
    }

    @Test("every event type's sample", arguments: EventType.allCases)
    func samples(type: EventType) throws {
        try same(Samples.envelope(for: type))
    }

    @Test("every variant sample")
    func variants() throws {
        for envelope in Samples.variants { try same(envelope) }
    }

    @Test("every example in docs/schemas/examples", arguments: EventType.allCases)
    func docExamples(type: EventType) throws {
        let url = RepoPaths.examples.appendingPathComponent("\(type.rawValue).json")
        try same(try EnvelopeCodec.decodeAny(Array(try Data(contentsOf: url))))
    }

    @Test("strings: quotes, backslashes, every control character, slashes, CJK and emoji")
    func strings() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar(UInt8($0)) }))
        let values = [controls, "\"quoted\" \\ back/slash", "你好，世界 👋🏽 e\u{301}", "", "\u{7F}\u{2028}\u{2029}", "a\0b"]
        for value in values {
            #expect(try CompactJSONEncoder.encode(value) == Array(Reference.encoder.encode(value)))
            #expect(try CompactJSONEncoder.encode(["k\n": value]) == Array(Reference.encoder.encode(["k\n": value])))
        }
        let bridged = NSString(string: "bridged \"ns\" string").description
        #expect(try CompactJSONEncoder.encode(bridged) == Array(Reference.encoder.encode(bridged)))
    }

    @Test("numbers, booleans, nulls, arrays and nested JSON values")
    func scalars() throws {
        let doubles: [Double] = [0, 1, -1, 0.5, 0.1, 1e-7, 123456789.125, 1e21, 0.83333333333333337, -0.0]
        #expect(try CompactJSONEncoder.encode(doubles) == Array(Reference.encoder.encode(doubles)))
        let optionals: [Int?] = [1, nil, Int.max, Int.min]
        #expect(try CompactJSONEncoder.encode(optionals) == Array(Reference.encoder.encode(optionals)))
        let value = JSONValue.object(["a": .array([.number(1.5), .integer(-7), .bool(true), .null, .string("x"), .object([:]), .array([])])])
        #expect(try CompactJSONEncoder.encode(value) == Array(Reference.encoder.encode(value)))
        #expect(try CompactJSONEncoder.encode(Data([0, 1, 2, 255])) == Array(Reference.encoder.encode(Data([0, 1, 2, 255]))))
        #expect(try CompactJSONEncoder.encode(URL(string: "https://example.com/a b")) == Array(Reference.encoder.encode(URL(string: "https://example.com/a b"))))
    }

    @Test("every standard integer type and Decimal, alone and in containers")
    func integers() throws {
        struct All: Encodable {
            var i8: Int8 = -8, i16: Int16 = -16, i32: Int32 = -32, i64: Int64 = .min
            var u: UInt = .max, u8: UInt8 = 8, u16: UInt16 = 16, u32: UInt32 = .max, u64: UInt64 = .max
            var decimal = Decimal(string: "12.345")!
        }
        let compact = try CompactJSONEncoder.encode(All())
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(compact)) == JSONDecoder().decode(JSONValue.self, from: Reference.encoder.encode(All())))
        #expect(String(decoding: compact, as: UTF8.self).contains(#""u64":18446744073709551615"#))
        #expect(try CompactJSONEncoder.encode(UInt64.max) == Array(Reference.encoder.encode(UInt64.max)))
        #expect(try CompactJSONEncoder.encode([Int16(-1), 2]) == Array(Reference.encoder.encode([Int16(-1), 2])))
    }

    @Test("non-finite numbers are refused as JSONEncoder refuses them")
    func nonFinite() {
        #expect(throws: EncodingError.self) { try CompactJSONEncoder.encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try CompactJSONEncoder.encode(Double.infinity) }
    }

    @Test("a value with a nested container is refused (the codec then falls back to JSONEncoder)")
    func nested() throws {
        struct Nested: Encodable {
            enum Keys: String, CodingKey { case outer, inner }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                var inner = container.nestedContainer(keyedBy: Keys.self, forKey: .outer)
                try inner.encode(1, forKey: .inner)
            }
        }
        #expect(throws: CompactJSONEncoder.Unsupported.self) { try CompactJSONEncoder.encode(Nested()) }
        #expect(try Reference.encoder.encode(Nested()).count > 0)
    }
}
