"""Training loops of the IST project and the partition utilities they use."""
from .exchange import SubnetExchange
from .loops import (
                    CommAccountingLoop,
                    DataParallelTrainLoop,
                    IndependentSubnetTrainLoop,
                    LocalSGDTrainLoop,
)
from .partition import draw_partition, ist_round_bytes, put, ring_allreduce_bytes, take

__all__ = [
    'CommAccountingLoop', 'DataParallelTrainLoop', 'IndependentSubnetTrainLoop',
    'LocalSGDTrainLoop', 'SubnetExchange', 'draw_partition', 'ist_round_bytes', 'put',
    'ring_allreduce_bytes', 'take'
]
