import Foundation

/// Paths of the repository that holds these tests: `<root>/Tests/KefuModelTests/RepoPaths.swift`.
enum RepoPaths {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
    static let schemas = root.appendingPathComponent("docs/schemas")
    static let examples = schemas.appendingPathComponent("examples")
    static let invalid = schemas.appendingPathComponent("invalid")
    static let streamsDoc = root.appendingPathComponent("docs/streams.md")
    static let validator = root.appendingPathComponent("scripts/validate_schemas.py")
}
