import Foundation
@testable import RoutingService
import Testing

/// The assigner's choice of agents: fewest sessions, then longest idle, then id; only agents with room.
@Suite struct PlannerTests {
    @Test func bestAgentsAreRankedByLoadThenIdleThenID() {
        let now = Date()
        let ids = (0..<6).map { _ in UUID() }
        let pool = [
            PlannedAgent(id: ids[0], load: 2, capacity: 5, idleSince: now.addingTimeInterval(-100)),
            PlannedAgent(id: ids[1], load: 1, capacity: 5, idleSince: now),
            PlannedAgent(id: ids[2], load: 1, capacity: 5, idleSince: now.addingTimeInterval(-10)),
            PlannedAgent(id: ids[3], load: 3, capacity: 3, idleSince: now.addingTimeInterval(-1000)),
            PlannedAgent(id: ids[4], load: 0, capacity: 1, idleSince: now),
            PlannedAgent(id: ids[5], load: 1, capacity: 2, idleSince: now),
        ]
        let ranked = PlannedAgent.best(5, of: pool).map { pool[$0].id }
        let tieOrder = [ids[1], ids[5]].sorted { $0.uuidString.lowercased() < $1.uuidString.lowercased() }
        #expect(ranked == [ids[4], ids[2]] + tieOrder + [ids[0]])
        #expect(!ranked.contains(ids[3]))
        #expect(PlannedAgent.best(2, of: pool).count == 2)
        #expect(PlannedAgent.best(3, of: []).isEmpty)
    }
}
