import Foundation
import KefuModel
@testable import RoutingService
import Testing

/// Every JSON example in the docs a connector or an admin copies from — `docs/streams.md`,
/// `Services/*/README.md` and `docs/openapi.yaml` — is accepted by the real Swift validators: stream entries by
/// `EnvelopeCodec` (strict: no `null`, no duplicate key) on the stream of their type, settings documents by
/// `RoutingSettings.decode` (strict keys, then validation). The schemas side is `scripts/validate_schemas.py`.
@Suite("Doc examples pass the real validators")
struct DocExamplesTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The documents searched, relative to the repository root.
    static var documents: [String] {
        let services = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Services").path)) ?? []
        return ["docs/streams.md", "docs/openapi.yaml"]
            + services.sorted().map { "Services/\($0)/README.md" }
                .filter { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path) }
    }

    /// One example: where it is and its JSON text.
    struct Example: CustomStringConvertible, Sendable {
        let document: String
        let line: Int
        let stream: String?
        let json: String
        var description: String { "\(document):\(line)" }
    }

    /// Every `redis-cli XADD <stream> '*' event '<json>'` and every ```json block of `document`.
    static func examples(in document: String) -> [Example] {
        guard let text = try? String(contentsOf: root.appendingPathComponent(document), encoding: .utf8) else { return [] }
        var found: [Example] = []
        let lines = text.components(separatedBy: "\n")
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("redis-cli XADD "), let open = line.range(of: " event '") {
                let words = trimmed.split(separator: " ")
                var json = String(line[open.upperBound...])
                let start = index
                while !json.hasSuffix("'"), index + 1 < lines.count {
                    index += 1
                    json += "\n" + lines[index]
                }
                found.append(Example(document: document, line: start + 1, stream: String(words[2]), json: String(json.dropLast())))
            } else if trimmed == "```json" {
                let start = index
                var block: [String] = []
                index += 1
                while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces) != "```" {
                    block.append(lines[index])
                    index += 1
                }
                found.append(Example(document: document, line: start + 2, stream: nil, json: block.joined(separator: "\n")))
            } else if trimmed.hasPrefix("example: {") || trimmed.hasPrefix("example: [") {
                found.append(Example(document: document, line: index + 1, stream: nil,
                                     json: String(trimmed.dropFirst("example: ".count))))
            }
            index += 1
        }
        return found
    }

    static var allExamples: [Example] { documents.flatMap(examples(in:)) }

    @Test func theDocsHaveExamples() {
        let examples = Self.allExamples
        #expect(examples.count >= 30, "found only \(examples.count) examples")
        #expect(examples.contains { $0.document == "Services/Routing/README.md" })
    }

    @Test("each example passes the Swift validators", arguments: allExamples)
    func examplePasses(_ example: Example) throws {
        let bytes = Array(example.json.utf8)
        let parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        guard let object = parsed as? [String: Any] else { return }
        if object["type"] is String, object["data"] != nil, object["id"] != nil {
            let envelope: any AnyEventEnvelope
            do {
                envelope = try EnvelopeCodec.decodeAny(bytes)
            } catch {
                Issue.record("\(example): \(error.code): \(error.description)")
                return
            }
            if let stream = example.stream {
                #expect(Self.stream(stream, carries: envelope.header.type), "\(example): \(envelope.header.type.rawValue) is not written to \(stream)")
            }
            if let update = envelope as? EventEnvelope<AdminUpdateSettings> {
                try Self.checkSettings(update.data.settings, at: example)
            }
        } else if Set(object.keys).isSubset(of: Self.settingsKeys), object["human_service_enabled"] != nil {
            try Self.checkSettings(try JSONDecoder().decode(JSONValue.self, from: Data(bytes)), at: example)
        }
    }

    static let settingsKeys: Set<String> = [
        "human_service_enabled", "channels", "service_hours", "queue", "out_of_service_prompt", "session",
        "rating_enabled", "sensitive_words", "no_service_prompts", "queue_without_agents", "groups",
    ]

    static func checkSettings(_ settings: JSONValue, at example: Example) throws {
        let data = try JSONEncoder().encode(settings)
        do {
            _ = try RoutingSettings.decode(jsonData: data)
        } catch {
            Issue.record("\(example): settings refused: \(error)")
        }
    }

    /// Whether `stream` (with the default prefix `kefu`) is where entries of `type` go.
    static func stream(_ stream: String, carries type: EventType) -> Bool {
        let suffix = type.stream.suffix
        if suffix.hasPrefix("requests:<") { return stream.hasPrefix("kefu:requests:") }
        if suffix.hasPrefix("replies:<") { return stream.hasPrefix("kefu:replies:") || stream == "kefu:commands" }
        return stream == "kefu:" + suffix
    }
}
