// The same all-reduce from C, for comparison with bench/distributed/w2-allreduce.ts on the same machine:
//   mpicc -O2 bench/distributed/allreduce.c -o /tmp/allreduce && mpirun --allow-run-as-root -np 2 /tmp/allreduce
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return x<y?-1:x>y;}
int main(int c, char**v){ MPI_Init(&c,&v); int r; MPI_Comm_rank(MPI_COMM_WORLD,&r);
 int n=535830; float*a=calloc(n,4); double tb[60],tn[60];
 for(int i=0;i<60;i++){ MPI_Barrier(MPI_COMM_WORLD); double t=MPI_Wtime(); MPI_Allreduce(MPI_IN_PLACE,a,n,MPI_FLOAT,MPI_SUM,MPI_COMM_WORLD); tb[i]=MPI_Wtime()-t;
  MPI_Barrier(MPI_COMM_WORLD); t=MPI_Wtime(); MPI_Request q; MPI_Iallreduce(MPI_IN_PLACE,a,n,MPI_FLOAT,MPI_SUM,MPI_COMM_WORLD,&q); int d=0; while(!d) MPI_Test(&q,&d,MPI_STATUS_IGNORE); tn[i]=MPI_Wtime()-t;}
 qsort(tb,60,8,cmp); qsort(tn,60,8,cmp); if(!r) printf("blocking %.2f ms, nonblocking %.2f ms\n", tb[30]*1e3, tn[30]*1e3); MPI_Finalize();}
