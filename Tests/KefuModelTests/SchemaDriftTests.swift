import Foundation
import KefuModel
import Testing

/// Keeps the Swift structs, the JSON Schemas in docs/schemas and the validator script in step.
@Suite("Swift structs and JSON Schemas agree")
struct SchemaDriftTests {
    @Test("every Swift-encoded sample validates against its schema (python3 scripts/validate_schemas.py)")
    func encodedSamplesValidate() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let samples = EventType.allCases.map(Samples.envelope(for:)) + Samples.variants
        var arguments: [String] = []
        for (index, sample) in samples.enumerated() {
            let file = directory.appendingPathComponent("\(index)-\(sample.header.type.rawValue).json")
            try Data(try sample.encodedEntry()).write(to: file)
            arguments.append("\(sample.header.type.rawValue)=\(file.path)")
        }

        let result = try Validator.run(arguments)
        #expect(result.status == 0, "validate_schemas.py failed:\n\(result.output)")
        #expect(result.output.contains("validate_schemas: "), "unexpected output:\n\(result.output)")
    }

    @Test("every entry type has a schema for its stream and an example", arguments: EventType.allCases)
    func schemaAndExampleExist(type: EventType) throws {
        let schemaURL = RepoPaths.schemas.appendingPathComponent("\(type.rawValue).schema.json")
        let schema = try #require(try JSONDecode.file(schemaURL) as? [String: Any], "missing \(schemaURL.path)")
        #expect(schema["x-kefu-stream"] as? String == type.stream.suffix)
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect((properties["type"] as? [String: Any])?["const"] as? String == type.rawValue)
        #expect((properties["version"] as? [String: Any])?["const"] as? Int == type.supportedVersions.last)
        let required = schema["required"] as? [String] ?? []
        #expect(required.contains("reply_to") == type.isRequest)
        #expect(required.contains("correlation_id") == type.isReply)

        let exampleURL = RepoPaths.examples.appendingPathComponent("\(type.rawValue).json")
        #expect(FileManager.default.fileExists(atPath: exampleURL.path), "missing \(exampleURL.path)")
    }

    @Test("there is no schema without an entry type")
    func noOrphanSchemas() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: RepoPaths.schemas.path)
            .filter { $0.hasSuffix(".schema.json") && $0 != "envelope.schema.json" }
        let types = Set(EventType.allCases.map { "\($0.rawValue).schema.json" })
        #expect(Set(files) == types)
    }

    @Test("every example decodes in Swift and re-encodes to the same JSON", arguments: EventType.allCases)
    func examplesDecode(type: EventType) throws {
        let url = RepoPaths.examples.appendingPathComponent("\(type.rawValue).json")
        let bytes = Array(try Data(contentsOf: url))
        let envelope = try EnvelopeCodec.decodeAny(bytes)
        #expect(envelope.header.type == type)
        let original = try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary
        let reencoded = try JSONSerialization.jsonObject(with: Data(try envelope.encodedEntry())) as? NSDictionary
        #expect(original == reencoded)
    }

    @Test("invalid examples marked swift_rejects fail in Swift too; the others are tolerated")
    func invalidExamples() throws {
        let files = try FileManager.default.contentsOfDirectory(at: RepoPaths.invalid, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
        #expect(files.count >= 10)
        for file in files {
            let object = try #require(try JSONDecode.file(file) as? [String: Any])
            let rejects = try #require(object["swift_rejects"] as? Bool, "\(file.lastPathComponent) lacks swift_rejects")
            let entry = JSONDecode.bytes(try #require(object["entry"]))
            let decoded = Result { () throws(ContractError) in try EnvelopeCodec.decodeAny(entry) }
            switch decoded {
            case .success where rejects:
                Issue.record("\(file.lastPathComponent) should be rejected by Swift")
            case .failure(let error) where !rejects:
                Issue.record("\(file.lastPathComponent) should be accepted by Swift, got \(error)")
            default:
                break
            }
        }
    }
}

/// Runs `python3 scripts/validate_schemas.py`.
enum Validator {
    struct Result {
        let status: Int32
        let output: String
    }

    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", RepoPaths.validator.path] + arguments
        process.currentDirectoryURL = RepoPaths.root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }
}
