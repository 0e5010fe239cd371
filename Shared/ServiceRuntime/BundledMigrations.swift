import Foundation
import Postgres

extension Migration {
    /// A service's own migrations (version 2 and up) from the `Migrations` resource folder of `bundle`
    /// (the service target's `Bundle.module`).
    public static func loadBundled(_ service: String, in bundle: Bundle) throws -> [Migration] {
        guard let directory = bundle.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresError.invalidMigration(reason: "the \(service) migrations resource folder is missing from the bundle")
        }
        return try Migrator.load(directory: directory)
    }

    /// The same, for a ``ServiceDefinition``: when the folder is missing or malformed, one migration that
    /// fails the start with the reason, so the service never runs without its schema.
    public static func bundled(_ service: String, in bundle: Bundle) -> [Migration] {
        do {
            return try loadBundled(service, in: bundle)
        } catch {
            let reason = "\(error)".replacingOccurrences(of: "'", with: "''")
            return [Migration(
                version: 2, name: "missing_resources",
                sql: "DO $$ BEGIN RAISE EXCEPTION 'the \(service) migrations were not bundled: \(reason)'; END $$")]
        }
    }
}
