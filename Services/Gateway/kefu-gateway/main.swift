import GatewayService
import ServiceRuntime

await ServiceHost.main(GatewayService.definition())
