// The upstream sync against aedes, an MQTT broker in this process: runs anywhere `npm test` runs.
import { startAedesBroker } from '../support/mqttBroker.js';
import { defineSyncCases } from './syncCases.js';
import { definePublisherCases } from './syncPublisherCases.js';

defineSyncCases('aedes', startAedesBroker);
definePublisherCases('aedes', startAedesBroker);
