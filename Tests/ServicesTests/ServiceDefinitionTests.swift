import GatewayService
import KefuModel
import KnowledgeService
import ReportingService
import RoutingService
import ServiceRuntime
import StoreService
import Testing

/// Each service's consumers match the contract's subscriptions, so names are defined once in effect.
@Suite struct ServiceDefinitionTests {
    static func definitions() throws -> [(ServiceName, ServiceDefinition)] {
        [
            (.gateway, GatewayService.definition(try GatewayConfiguration(reader: ConfigReader(environment: ["KEFU_GATEWAY_SECRET": String(repeating: "s", count: 32)])))),
            (.routing, RoutingService.definition()),
            (.store, try StoreService.definition()),
            (.knowledge, KnowledgeService.definition()),
            (.reporting, ReportingService.definition()),
        ]
    }

    @Test func consumersMatchTheContractSubscriptions() throws {
        let names = try StreamNames(prefix: "acme")
        for (service, definition) in try Self.definitions() {
            #expect(definition.name == service.rawValue)
            let contract = ConsumerGroups.subscriptions(for: service, names: names).filter { $0.group != nil }
            #expect(Set(definition.consumedStreams(names)) == Set(contract.map(\.stream)), "\(service)")
            #expect(contract.allSatisfy { $0.group == definition.group }, "\(service)")
        }
    }

    @Test func defaultPortsAreDistinct() throws {
        let ports = try Self.definitions().map(\.1.defaultPort)
        #expect(Set(ports).count == ports.count)
        #expect(ports == [8080, 8081, 8082, 8083, 8084])
    }

    @Test func fanOutStreamsAcknowledgeUnknownTypesAndOwnStreamsDeadLetterThem() throws {
        for (_, definition) in try Self.definitions() {
            for consumer in definition.consumers {
                #expect(consumer.unknownTypes == (consumer.stream == .events ? .acknowledge : .deadLetter))
            }
        }
    }
}
