import Testing
@testable import RoutingService

@Suite("QueueETA")
struct QueueETATests {
    private func eta(_ position: Int, online: Int, free: Int, capacity: Int, average: Double?) -> Int? {
        QueueETAEstimator.estimateSeconds(
            position: position,
            capacity: QueueCapacitySnapshot(agentsOnline: online, freeSlots: free, totalCapacity: capacity),
            averageHandleSeconds: average
        )
    }

    @Test func zeroWhenFreeSlotsCoverPosition() {
        #expect(eta(2, online: 1, free: 2, capacity: 3, average: 300) == 0)
        #expect(eta(1, online: 1, free: 1, capacity: 1, average: nil) == 0)
    }

    @Test func placesAheadTimesAverageOverCapacity() {
        #expect(eta(5, online: 2, free: 2, capacity: 3, average: 300) == 300)
        #expect(eta(7, online: 2, free: 0, capacity: 3, average: 300) == 700)
        #expect(eta(6, online: 2, free: 0, capacity: 3, average: 300) == 600)
        #expect(eta(1, online: 1, free: 0, capacity: 1, average: 100.4) == 101)
    }

    @Test func handlesMissingAgentsOrHistory() {
        #expect(eta(3, online: 0, free: 0, capacity: 0, average: nil) == nil)
        #expect(eta(2, online: 0, free: 5, capacity: 0, average: 120) == 240)
        #expect(eta(4, online: 1, free: 0, capacity: 2, average: nil) == 600)
        #expect(eta(4, online: 1, free: 0, capacity: 2, average: .nan) == 600)
        #expect(eta(0, online: 1, free: 0, capacity: 2, average: 60) == 30)
        let custom = QueueETAEstimator.estimateSeconds(
            position: 3, capacity: QueueCapacitySnapshot(agentsOnline: 1, freeSlots: 0, totalCapacity: 1),
            averageHandleSeconds: nil, fallbackHandleSeconds: 10
        )
        #expect(custom == 30)
    }

    @Test func growsWithEveryPlaceAndShrinksWithFreeCapacity() {
        let oneAgent = (1...5).map { eta($0, online: 1, free: 0, capacity: 5, average: 300) ?? -1 }
        #expect(oneAgent == [60, 120, 180, 240, 300], "one agent serving 5: a slot frees about every minute")
        #expect(zip(oneAgent, oneAgent.dropFirst()).allSatisfy { $0 < $1 })
        let rounded = (1...5).map { RoutingEngine.roundedETA(
            position: $0, capacity: QueueCapacitySnapshot(agentsOnline: 1, freeSlots: 0, totalCapacity: 5),
            averageHandleSeconds: 300) ?? -1 }
        #expect(Set(rounded).count == 5, "the prompt's ETA differs for positions 1-5: \(rounded)")
        #expect(eta(4, online: 1, free: 2, capacity: 5, average: 300)! < eta(4, online: 1, free: 0, capacity: 5, average: 300)!)
        #expect(eta(4, online: 2, free: 0, capacity: 10, average: 300)! < eta(4, online: 1, free: 0, capacity: 5, average: 300)!)
    }

    @Test func snapshotClampsNegatives() {
        let snapshot = QueueCapacitySnapshot(agentsOnline: -1, freeSlots: -2, totalCapacity: -3)
        #expect(snapshot == QueueCapacitySnapshot(agentsOnline: 0, freeSlots: 0, totalCapacity: 0))
    }

    @Test func rollingAverageKeepsLastSamples() {
        var average = HandleTimeRollingAverage(capacity: 3)
        #expect(average.average == nil)
        average.record(seconds: 10)
        #expect(average.average == 10)
        for value in [20.0, 30, 40] { average.record(seconds: value) }
        #expect(average.count == 3)
        #expect(average.average == 30)
        average.record(seconds: -1)
        average.record(seconds: .nan)
        average.record(seconds: .infinity)
        #expect(average.average == 30)
        average.record(seconds: 50)
        #expect(average.average == 40)
        #expect(HandleTimeRollingAverage(capacity: 0).capacity == 1)
    }
}
