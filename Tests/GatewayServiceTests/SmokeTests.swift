import Testing
@testable import GatewayService

@Suite struct GatewayUnitTests {
    @Test func sourceNameIsSanitised() {
        #expect(Gateway.source(instance: "Host_1.A") == "gateway-host_1.a")
    }
}
