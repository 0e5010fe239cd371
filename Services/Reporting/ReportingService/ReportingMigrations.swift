import Foundation
import Postgres

/// The reporting schema's migrations (`Migrations/0002_…sql`, bundled as a resource).
public enum ReportingMigrations {
    /// Loads the bundled migrations.
    public static func load() throws -> [Migration] {
        try Migration.loadBundled(ReportingService.name, in: .module)
    }
}
