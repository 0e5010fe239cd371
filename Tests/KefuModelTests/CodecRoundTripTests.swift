import Foundation
import KefuModel
import Testing

/// Typed round trip for a sample whose payload type is only known at run time.
private protocol TypedRoundTrip {
    func roundTripsTyped() throws -> Bool
}

extension EventEnvelope: TypedRoundTrip {
    fileprivate func roundTripsTyped() throws -> Bool {
        try EnvelopeCodec.decode(EnvelopeCodec.encode(self), as: Payload.self) == self
    }
}

@Suite("Envelope codec round trips")
struct CodecRoundTripTests {
    @Test("every type survives encode then decode", arguments: EventType.allCases)
    func roundTrip(type: EventType) throws {
        let sample = Samples.envelope(for: type)
        #expect(sample.header.type == type)
        let typed = try #require(sample as? any TypedRoundTrip)
        #expect(try typed.roundTripsTyped())

        let bytes = try sample.encodedEntry()
        let decoded = try EnvelopeCodec.decodeAny(bytes)
        #expect(decoded.header == sample.header)
        let again = try decoded.encodedEntry()
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(again)) == JSONDecoder().decode(JSONValue.self, from: Data(bytes)))
    }

    @Test("header decodes alone, without looking at data", arguments: EventType.allCases)
    func headerOnly(type: EventType) throws {
        let sample = Samples.envelope(for: type)
        let bytes = try sample.encodedEntry()
        let header = try EnvelopeCodec.decodeHeader(bytes)
        #expect(header == sample.header)
        #expect(header.version == type.supportedVersions.last)
        #expect(header.time.rfc3339 == "2026-11-25T08:00:00.123Z")
    }

    @Test("header decoding ignores a data object it could not decode")
    func headerIgnoresData() throws {
        let bytes = Samples.visitorMessageEntry { _, data in data = ["anything": [1, 2, 3]] }
        let header = try EnvelopeCodec.decodeHeader(bytes)
        #expect(header.type == .visitorMessage)
        #expect(throws: ContractError.missingField("data.channel")) {
            try EnvelopeCodec.decode(bytes, as: VisitorMessage.self)
        }
    }

    @Test("wire form uses snake_case keys, lowercase UUIDs and millisecond UTC times")
    func wireForm() throws {
        let bytes = try Samples.envelope(for: .messageAccepted).encodedEntry()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(Set(object.keys) == ["id", "type", "version", "time", "source", "data"])
        #expect(object["time"] as? String == "2026-11-25T08:00:00.123Z")
        let id = try #require(object["id"] as? String)
        #expect(id == id.lowercased())
        let data = try #require(object["data"] as? [String: Any])
        #expect(Set(data.keys) == ["session_id", "seq", "channel", "visitor_id", "sender", "agent_id", "client_message_id", "text"])
        #expect(data["session_id"] as? String == "3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a90")
    }

    @Test("uppercase UUIDs are accepted and re-encoded lowercase")
    func uppercaseUUID() throws {
        let bytes = Samples.visitorMessageEntry { envelope, _ in envelope["id"] = "0F8FAD5B-D9CB-469F-A165-70867728950E" }
        let envelope = try EnvelopeCodec.decode(bytes, as: VisitorMessage.self)
        #expect(envelope.id.description == "0f8fad5b-d9cb-469f-a165-70867728950e")
    }

    @Test("unknown fields are ignored by Swift readers (tolerant reader)")
    func unknownFieldsIgnored() throws {
        let bytes = Samples.visitorMessageEntry { envelope, data in
            envelope["trace"] = "x"
            data["future_field"] = true
        }
        let envelope = try EnvelopeCodec.decode(bytes, as: VisitorMessage.self)
        #expect(envelope.data.content == .text("hello"))
    }

    @Test("decodeAny returns the concrete envelope type for dispatch")
    func decodeAnyDispatch() throws {
        let decoded = try EnvelopeCodec.decodeAny(Samples.visitorMessageEntry())
        let message = try #require(decoded as? EventEnvelope<VisitorMessage>)
        #expect(message.data.clientMessageID == "m1")
    }
}
