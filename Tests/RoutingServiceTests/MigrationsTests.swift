import Postgres
import RoutingService
import Testing

@Suite struct RoutingMigrationsTests {
    @Test func migrationsAreBundledFromVersionTwo() throws {
        let migrations = try RoutingService.migrations()
        #expect(migrations.first?.version == 2)
        #expect(migrations.allSatisfy { !$0.sql.isEmpty })
    }
}
