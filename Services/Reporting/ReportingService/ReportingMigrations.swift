import Foundation
import Postgres

/// The reporting schema's migrations (`Migrations/0002_…sql`, bundled as a resource).
public enum ReportingMigrations {
    /// Loads the bundled migrations.
    public static func load() throws -> [Migration] {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresError.invalidMigration(reason: "the reporting migrations resource folder is missing")
        }
        return try Migrator.load(directory: directory)
    }
}
