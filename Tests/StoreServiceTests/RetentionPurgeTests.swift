import Foundation
import KefuModel
import Testing
@testable import ServiceRuntime
@testable import StoreService

/// Retention: sessions that ended more than N days ago go, with their events and images, in small
/// batches; open and recent sessions stay.
@Suite struct RetentionPurgeTests {
    static let longAgo = Timestamp(rfc3339: "2020-01-01T00:00:00.000Z")!

    func settings(days: Int, batch: Int = 7) -> StoreSettings {
        var settings = StoreSettings()
        settings.retentionDays = days
        settings.purgeBatchSize = batch
        settings.purgePause = .milliseconds(1)
        return settings
    }

    func addImage(_ store: StoreHarness, _ session: SessionID) async throws {
        try await store.postgres.execute(
            """
            INSERT INTO store.images (image_id, session_id, uploader_role, uploader_id, mime_type, bytes, size, request_id)
            VALUES ($1, $2, 'visitor', 'v-1', 'image/png', $3, 3, $4)
            """, [UUID(), session.uuid, [UInt8]([1, 2, 3]), UUID()])
    }

    @Test func endedSessionsPastRetentionGoInSmallBatchesAndTheRestStays() async throws {
        let store = try await StoreHarness.make()
        defer { Task { await store.shutdown() } }
        let old = [SessionID.random(), SessionID.random()]
        let recent = SessionID.random()
        let openOld = SessionID.random()
        for session in old {
            try await store.record(
                [StoreHarness.created(session, time: Self.longAgo)]
                    + (2...25).map { StoreHarness.message(session, seq: $0, time: Self.longAgo) }
                    + [StoreHarness.ended(session, seq: 26, human: false, time: Self.longAgo)])
            try await addImage(store, session)
        }
        try await store.record([
            StoreHarness.created(recent, time: .now()), StoreHarness.ended(recent, seq: 2, human: false, time: .now()),
            StoreHarness.created(openOld, time: Self.longAgo), StoreHarness.message(openOld, seq: 2, time: Self.longAgo),
        ])
        try await addImage(store, recent)

        let purge = RetentionPurge(settings: settings(days: 30), postgres: store.postgres, readiness: nil, logger: StoreHarness.logger)
        let deleted = try await purge.purgeOnce()
        #expect(deleted.events == 52)
        #expect(deleted.images == 2)
        #expect(deleted.sessions == 2)
        let left = try await store.postgres.query("SELECT session_id::text FROM store.sessions ORDER BY session_id")
        #expect(Set(try left.map { try $0.decode(String.self, at: 0) }) == Set([recent, openOld].map(\.description)))
        #expect(try await store.count("SELECT count(*) FROM store.events") == 4)
        #expect(try await store.count("SELECT count(*) FROM store.images") == 1)
        let again = try await purge.purgeOnce()
        #expect(again.events + again.images + again.sessions == 0, "a second purge finds nothing")
    }

    @Test func zeroDaysKeepsEverything() async throws {
        let store = try await StoreHarness.make()
        defer { Task { await store.shutdown() } }
        let session = SessionID.random()
        try await store.record([StoreHarness.created(session, time: Self.longAgo), StoreHarness.ended(session, seq: 2, human: false, time: Self.longAgo)])
        let purge = RetentionPurge(settings: settings(days: 0), postgres: store.postgres, readiness: nil, logger: StoreHarness.logger)
        let deleted = try await purge.purgeOnce()
        #expect(deleted.events + deleted.images + deleted.sessions == 0)
        #expect(try await store.count("SELECT count(*) FROM store.events") == 2)
        #expect(try await store.count("SELECT count(*) FROM store.sessions") == 1)
    }

    @Test func settingsComeFromTheEnvironment() throws {
        let defaults = try StoreSettings(reader: ConfigReader(environment: [:]))
        #expect(defaults.retentionDays == 0)
        #expect(defaults.purgeBatchSize == 1_000)
        #expect(defaults.purgeInterval == .seconds(3600))
        let set = try StoreSettings(reader: ConfigReader(environment: [
            "KEFU_STORE_RETENTION_DAYS": "90", "KEFU_STORE_PURGE_INTERVAL_MS": "60000", "KEFU_STORE_PURGE_BATCH": "500",
        ]))
        #expect(set.retentionDays == 90 && set.purgeInterval == .seconds(60) && set.purgeBatchSize == 500)
        #expect(throws: ConfigError.self) { try StoreSettings(reader: ConfigReader(environment: ["KEFU_STORE_RETENTION_DAYS": "-1"])) }
        #expect(throws: ConfigError.self) { try StoreSettings(reader: ConfigReader(environment: ["KEFU_STORE_RETENTION_DAYS": "ninety"])) }
    }
}
