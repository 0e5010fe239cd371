import Foundation
import KefuModel
import Testing

@testable import RoutingService

/// The settings' `files` section: defaults, strict decoding, validation with field paths, and the policy
/// routing serves to the gateway and the widget.
@Suite struct RoutingFileSettingsTests {
    @Test func defaultsAllowEveryTypeUpToTenMiB() {
        let files = RoutingSettings.defaults.files
        #expect(files.maxBytes == 10 * 1024 * 1024)
        #expect(files.allowed == FileType.allCases)
    }

    @Test func decodesValidatesAndRefusesUnknownKeysAndTypes() throws {
        let good = try RoutingSettings.decode(jsonData: Data(#"{"files": {"max_bytes": 2048, "allowed_types": ["pdf", "7z"]}}"#.utf8))
        #expect(good.files.maxBytes == 2048)
        #expect(good.files.allowed == [.pdf, .sevenZip])
        let partial = try RoutingSettings.decode(jsonData: Data(#"{"files": {"allowed_types": []}}"#.utf8))
        #expect(partial.files.maxBytes == RoutingFileSettings.defaultMaxBytes && partial.files.allowed.isEmpty)

        var settings = RoutingSettings.defaults
        settings.files = RoutingFileSettings(maxBytes: 100, allowedTypes: ["pdf", "exe"])
        let issues = settings.validationIssues()
        #expect(issues.map(\.fieldPath) == ["files.max_bytes", "files.allowed_types[1]"])
        #expect(issues.map(\.code) == [.outOfRange, .invalidFormat])
        settings.files.maxBytes = FileRef.maxBytes + 1
        #expect(settings.validationIssues().first?.fieldPath == "files.max_bytes")

        #expect(throws: RoutingConfigIssue.self) {
            try RoutingSettings.decode(jsonData: Data(#"{"files": {"max_size": 10}}"#.utf8))
        }
        let encoded = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(good))
        #expect(encoded["files"]?["allowed_types"] == .array([.string("pdf"), .string("7z")]))
    }
}
