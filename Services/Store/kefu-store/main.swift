import StoreService
import ServiceRuntime

await ServiceHost.main(StoreService.definition())
