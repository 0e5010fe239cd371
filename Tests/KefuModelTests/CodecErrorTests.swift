import KefuModel
import Testing

@Suite("Envelope codec errors")
struct CodecErrorTests {
    private func decodeError(_ bytes: [UInt8]) -> ContractError? {
        do {
            _ = try EnvelopeCodec.decodeAny(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test("not JSON", arguments: ["", "hello", "{\"id\":", "\u{FEFF}{}x"])
    func notJSON(text: String) {
        let error = decodeError(Array(text.utf8))
        #expect(error?.code == "not_json")
    }

    @Test("invalid UTF-8 is not JSON")
    func invalidUTF8() {
        #expect(decodeError([0x7B, 0xFF, 0xFE, 0x7D])?.code == "not_json")
    }

    @Test("a JSON array is not an envelope")
    func topLevelArray() {
        let error = decodeError(Array("[1,2]".utf8))
        #expect(error?.code == "not_json")
        #expect(error?.description.contains("top level") == true)
    }

    @Test("missing id", arguments: ["id", "type", "version", "time", "source"])
    func missingHeaderField(field: String) {
        let bytes = Samples.visitorMessageEntry { envelope, _ in envelope[field] = nil }
        #expect(decodeError(bytes) == .missingField(field))
        #expect(decodeError(bytes)?.description == "missing required field `\(field)`")
    }

    @Test("missing data")
    func missingData() throws {
        var object = try JSONDecode.object(Samples.visitorMessageEntry())
        object["data"] = nil
        #expect(decodeError(JSONDecode.bytes(object)) == .missingField("data"))
    }

    @Test("id not a UUID")
    func badUUID() {
        let bytes = Samples.visitorMessageEntry { envelope, _ in envelope["id"] = "msg-42" }
        #expect(decodeError(bytes) == .notAUUID(field: "id", value: "msg-42"))
    }

    @Test("session hint not a UUID names the nested field")
    func badNestedUUID() {
        let bytes = Samples.visitorMessageEntry { _, data in data["session_hint"] = "abc" }
        #expect(decodeError(bytes) == .notAUUID(field: "data.session_hint", value: "abc"))
    }

    @Test("unknown type")
    func unknownType() {
        let bytes = Samples.visitorMessageEntry { envelope, _ in envelope["type"] = "visitor.typing" }
        let error = decodeError(bytes)
        #expect(error == .unknownType("visitor.typing"))
        #expect(error?.description.contains("visitor.message") == true)
    }

    @Test("unsupported version")
    func unsupportedVersion() {
        let bytes = Samples.visitorMessageEntry { envelope, _ in envelope["version"] = 2 }
        #expect(decodeError(bytes) == .unsupportedVersion(type: "visitor.message", version: 2, supported: [1]))
    }

    @Test("decoding as the wrong payload type")
    func wrongType() {
        #expect(throws: ContractError.wrongType(expected: "visitor.rating", actual: "visitor.message")) {
            try EnvelopeCodec.decode(Samples.visitorMessageEntry(), as: VisitorRating.self)
        }
    }

    @Test("too large")
    func tooLarge() {
        let bytes = Samples.visitorMessageEntry { envelope, _ in
            envelope["padding"] = String(repeating: "x", count: EnvelopeCodec.maxEntryBytes)
        }
        #expect(decodeError(bytes) == .tooLarge(bytes: bytes.count, limit: EnvelopeCodec.maxEntryBytes))
    }

    @Test("encoding refuses an entry over the size limit")
    func encodeTooLarge() {
        let attributes = Dictionary(uniqueKeysWithValues: (0..<32).map { ("k\($0)", String(repeating: "字", count: 1024)) })
        let envelope = EventEnvelope(
            source: "gateway",
            data: VisitorMessage(channel: "web", visitorID: "v", clientMessageID: "m", content: .text("hi"), attributes: attributes)
        )
        #expect(throws: ContractError.self) { try EnvelopeCodec.encode(envelope) }
        #expect((try? EnvelopeCodec.encode(envelope)) == nil)
    }

    @Test("bad rating", arguments: [0, 6, -1])
    func badRating(stars: Int) throws {
        var envelope = try #require(Samples.envelope(for: .visitorRating) as? EventEnvelope<VisitorRating>)
        envelope.data.stars = stars
        let expected = ContractError.invalidField("data.stars", reason: "must be between 1 and 5, got \(stars)")
        #expect(throws: expected) { try EnvelopeCodec.encode(envelope) }

        var object = try JSONDecode.object(try envelope.copyWithValidStars().encodedEntry())
        var data = try #require(object["data"] as? [String: Any])
        data["stars"] = stars
        object["data"] = data
        #expect(decodeError(JSONDecode.bytes(object)) == expected)
    }

    @Test("fractional stars point at the field instead of saying 'not JSON'")
    func fractionalStars() throws {
        var object = try JSONDecode.object(try Samples.envelope(for: .visitorRating).encodedEntry())
        var data = try #require(object["data"] as? [String: Any])
        data["stars"] = 4.5
        object["data"] = data
        let error = decodeError(JSONDecode.bytes(object))
        #expect(error?.code == "invalid_field")
        #expect(error?.description.contains("data.stars") == true)
    }

    @Test("empty or blank text", arguments: ["", "   \n\t", "\u{3000}"])
    func emptyText(text: String) {
        let bytes = Samples.visitorMessageEntry { _, data in data["text"] = text }
        let error = decodeError(bytes)
        #expect(error?.code == "invalid_field")
        #expect(error?.description.contains("data.text") == true)
    }

    @Test("text over 5000 characters, counted in Unicode scalars")
    func longText() {
        let ok = Samples.visitorMessageEntry { _, data in data["text"] = String(repeating: "话", count: 5000) }
        #expect(decodeError(ok) == nil)
        let long = Samples.visitorMessageEntry { _, data in data["text"] = String(repeating: "话", count: 5001) }
        #expect(decodeError(long) == .invalidField("data.text", reason: "must be at most 5000 characters, got 5001"))
    }

    @Test("exactly one of text, image and file")
    func textXorImageXorFile() {
        let reason = "must have exactly one of `text`, `image` and `file`"
        let both = Samples.visitorMessageEntry { _, data in data["image"] = ["url": "https://a.example/x.png"] }
        #expect(decodeError(both) == .invalidField("data", reason: reason))
        let neither = Samples.visitorMessageEntry { _, data in data["text"] = nil }
        #expect(decodeError(neither) == .invalidField("data", reason: reason))
        let file: [String: Any] = ["file_id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e", "name": "a.pdf", "size": 10, "mime_type": "application/pdf"]
        let textAndFile = Samples.visitorMessageEntry { _, data in data["file"] = file }
        #expect(decodeError(textAndFile) == .invalidField("data", reason: reason))
        let fileOnly = Samples.visitorMessageEntry { _, data in
            data["text"] = nil
            data["file"] = file
        }
        #expect(decodeError(fileOnly) == nil)
        let badName = Samples.visitorMessageEntry { _, data in
            data["text"] = nil
            data["file"] = file.merging(["name": "../a.pdf"]) { _, new in new }
        }
        #expect(decodeError(badName) == .invalidField("data.file.name", reason: "must not contain control characters, `/` or `\\`, and must not be blank"))
        let unknownType = Samples.visitorMessageEntry { _, data in
            data["text"] = nil
            data["file"] = file.merging(["mime_type": "application/x-msdownload"]) { _, new in new }
        }
        #expect(decodeError(unknownType) != nil)
    }

    @Test("bad channel", arguments: ["WeChat", "", "-web", "we chat", String(repeating: "a", count: 65)])
    func badChannel(channel: String) {
        let bytes = Samples.visitorMessageEntry { _, data in data["channel"] = channel }
        let error = decodeError(bytes)
        #expect(error?.code == "invalid_field")
        #expect(error?.description.contains("data.channel") == true)
    }

    @Test("bad time", arguments: ["2026-11-25 08:00:00Z", "2026-11-25T08:00:00+08:00", "2026-02-30T00:00:00Z", "yesterday"])
    func badTime(time: String) {
        let bytes = Samples.visitorMessageEntry { envelope, _ in envelope["time"] = time }
        let error = decodeError(bytes)
        #expect(error?.code == "invalid_field")
        #expect(error?.description.contains("`time`") == true)
    }

    @Test("wrong JSON type names the field")
    func wrongJSONType() {
        let bytes = Samples.visitorMessageEntry { _, data in data["visitor_id"] = 42 }
        #expect(decodeError(bytes) == .invalidField("data.visitor_id", reason: "must be a string"))
    }

    @Test("null where a value is required")
    func nullValue() {
        let bytes = Samples.visitorMessageEntry { envelope, _ in envelope["source"] = NSNullValue.value }
        #expect(decodeError(bytes) == .invalidField("source", reason: "must not be null"))
    }

    @Test("unknown enum value lists the allowed ones")
    func unknownEnumValue() throws {
        var object = try JSONDecode.object(try Samples.envelope(for: .sessionEnded).encodedEntry())
        var data = try #require(object["data"] as? [String: Any])
        data["reason"] = "timeout"
        object["data"] = data
        let error = decodeError(JSONDecode.bytes(object))
        #expect(error?.code == "invalid_field")
        #expect(error?.description.contains("idle_timeout") == true)
    }

    @Test("a request without reply_to and a reply without correlation_id")
    func requestReplyHeaders() throws {
        for type in [EventType.botQuestion, .botAnswer] {
            var object = try JSONDecode.object(try Samples.envelope(for: type).encodedEntry())
            object["reply_to"] = nil
            object["correlation_id"] = nil
            let field = type == .botQuestion ? "reply_to" : "correlation_id"
            #expect(decodeError(JSONDecode.bytes(object)) == .missingField(field))
        }
    }

    @Test("every error has a stable code and says what to do")
    func descriptions() {
        let errors: [ContractError] = [
            .notJSON(detail: "x"), .tooLarge(bytes: 70_000, limit: 65_536), .missingField("data.text"),
            .invalidField("data.stars", reason: "r"), .notAUUID(field: "id", value: "v"), .unknownType("t"),
            .unsupportedVersion(type: "t", version: 9, supported: [1]), .wrongType(expected: "a", actual: "b"),
            .invalidName("n", reason: "r"),
        ]
        #expect(Set(errors.map(\.code)).count == errors.count)
        for error in errors { #expect(!error.description.isEmpty) }
        #expect(DeadLetter.reason(for: .missingField("id")) == "missing_field: missing required field `id`")
    }
}

private extension EventEnvelope where Payload == VisitorRating {
    func copyWithValidStars() -> EventEnvelope<VisitorRating> {
        var copy = self
        copy.data.stars = 3
        return copy
    }
}
