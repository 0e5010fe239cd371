import Foundation
import Postgres

/// The runtime's own migration (version 1) followed by a service's migrations.
public enum RuntimeMigrations {
    /// The runtime's migrations from the `Migrations` resource folder.
    public static func runtime() throws -> [Migration] {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresError.invalidMigration(reason: "the runtime migrations resource folder is missing")
        }
        return try Migrator.load(directory: directory)
    }

    /// The runtime's migrations and `service`'s, refusing versions the runtime reserves.
    public static func all(adding service: [Migration]) throws -> [Migration] {
        let runtime = try runtime()
        let reserved = Set(runtime.map(\.version))
        if let clash = service.first(where: { reserved.contains($0.version) }) {
            throw PostgresError.invalidMigration(reason: "version \(clash.version) is reserved for the runtime; number service migrations from \(reserved.max().map { $0 + 1 } ?? 1)")
        }
        return (runtime + service).sorted { $0.version < $1.version }
    }
}
