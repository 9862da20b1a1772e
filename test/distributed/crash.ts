/**
 * A rank that throws must end the job promptly, not leave the others in a collective: the last rank throws
 * after a first allReduce while the others wait in the next one. The job must exit non-zero with the
 * error and the abort notice on stderr.
 */
import { distributed, zeros } from "../../ts/index";

distributed.initProcessGroup({ backend: "mpi" });
const rank = distributed.getRank();
const size = distributed.getWorldSize();
distributed.allReduce(zeros([4]));
if (rank === size - 1) throw new Error(`rank ${rank} gives up on purpose`);
distributed.allReduce(zeros([4]));
console.log(`rank ${rank}: must not get here`);
