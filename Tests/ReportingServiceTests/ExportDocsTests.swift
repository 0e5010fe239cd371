import Foundation
import Postgres
import ReportingService
import ServiceRuntime
import Testing

/// The CSV header names are a contract: every column of every export is documented in docs/exports.md, in
/// order, and the service's definition carries its migration.
@Suite struct ExportDocsTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/exports.md")

    @Test(arguments: ExportKind.allCases)
    func everyColumnIsDocumentedInOrder(_ kind: ExportKind) throws {
        let text = try String(contentsOf: Self.docs, encoding: .utf8)
        let section = try #require(text.range(of: "## \(kind.rawValue) — "), "no section for \(kind)")
        let rest = text[section.upperBound...]
        let body = rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)]
        var documented: [String] = []
        for line in body.split(separator: "\n") where line.hasPrefix("| `") {
            let cell = line.dropFirst(2).prefix { $0 != "|" }
            for part in cell.split(separator: ",") {
                let name = part.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }
                documented += name.filter { $0.hasPrefix("`") }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "`")) }
            }
        }
        #expect(documented == ExportSQL.header(kind))
    }

    @Test func theDefinitionCarriesTheReportingMigration() throws {
        let versions = try ReportingService.definition().allMigrations().map(\.version)
        #expect(versions == [1, 2, 3, 4, 5, 6, 7, 8])
    }
}
