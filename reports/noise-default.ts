// Generated from docs/noise/shared-2core.json (npm run compare -- --aa on the A/A runs listed in it): the noise
// profile two-run comparisons use without --noise. test/reports/noise.test.ts checks the two agree.
import type { NoiseProfile } from './noise.js';

export const DEFAULT_NOISE: NoiseProfile = {
  kind: 'cluster-sched-bench noise profile',
  version: 1,
  description: 'A/A on AMD EPYC (2 cores, linux, Node v20.20.2): 11 runs, 2 workers, burst 200 x 5, fastify, hello',
  created: '2026-11-29T03:28:49.763Z',
  k: 3,
  runs: [
    '20261129-030402-2ec2',
    '20261129-030456-555a',
    '20261129-030545-70f6',
    '20261129-030636-1c29',
    '20261129-030734-ea7d',
    '20261129-030832-5906',
    '20261129-031159-2d90',
    '20261129-031422-270f',
    '20261129-031701-934b',
    '20261129-031940-57d0',
    '20261129-032235-3dd1',
  ],
  separateRuns: 11,
  metrics: {
    jain: {
      pairVar: 7.359195503571313e-10,
      repVar: 3.031714737358622e-8,
      betweenVar: 1.1536035294382832e-9,
    },
    cv: {
      pairVar: 0.000026666666666666673,
      repVar: 0.00005056666666666667,
      betweenVar: 0.0000059020234674329525,
    },
    roundSkew: {
      pairVar: 0.0002471014492753629,
      repVar: 0.0002990104166666667,
      betweenVar: 0.000031597895713601484,
    },
    topShare: {
      pairVar: 0.00000666666666666668,
      repVar: 0.00001264166666666669,
      betweenVar: 0.0000014755058668583019,
    },
    rps: {
      pairVar: 0.009911065068618564,
      repVar: 0.043782109155743654,
      betweenVar: 0.03981606974583017,
    },
    p50: {
      pairVar: 0.02082984589545031,
      repVar: 0.0457213793731128,
      betweenVar: 0.036379180550225786,
    },
    p99: {
      pairVar: 0.03495843215689728,
      repVar: 0.06202142714097926,
      betweenVar: 0.04839696999889105,
    },
    primaryCpu: {
      pairVar: 0.005510286441153492,
      repVar: 0.012218274617138475,
      betweenVar: 0.009560509530061021,
    },
    workerCpu: {
      pairVar: 0.005110472731831252,
      repVar: 0.013716154091196656,
      betweenVar: 0.008223840365388963,
    },
    loadGenCpu: {
      pairVar: 0.010620830015676399,
      repVar: 0.018888724165005786,
      betweenVar: 0.0110125755240536,
    },
  },
  strategies: {
    rr: {
      jain: {
        pairVar: 0.00005856408780804476,
        repVar: 0.00006465685988742149,
        betweenVar: 0.000001392773878926083,
      },
      cv: {
        pairVar: 0.00592242753623188,
        repVar: 0.002633308333333333,
        betweenVar: 0.00016833123802682007,
      },
      roundSkew: {
        pairVar: 0.004744157608695648,
        repVar: 0.0038699739583333355,
        betweenVar: 0.0000941503033205618,
      },
      topShare: {
        pairVar: 0.0014806068840579733,
        repVar: 0.0006583270833333333,
        betweenVar: 0.00004208280950670515,
      },
      rps: {
        pairVar: 0.005589550749642708,
        repVar: 0.043841427785913156,
        betweenVar: 0.03981606974583017,
      },
      p50: {
        pairVar: 0.02362336838684635,
        repVar: 0.050712758878523834,
        betweenVar: 0.03202646829271053,
      },
      p99: {
        pairVar: 0.03495843215689728,
        repVar: 0.049718680024586716,
        betweenVar: 0.055719091834921415,
      },
      primaryCpu: {
        pairVar: 0.003384285411005546,
        repVar: 0.011231005980951801,
        betweenVar: 0.008044407724509704,
      },
      workerCpu: {
        pairVar: 0.002675146223258241,
        repVar: 0.00927726295992794,
        betweenVar: 0.008223840365388963,
      },
      loadGenCpu: {
        pairVar: 0.010620830015676399,
        repVar: 0.015633976070865658,
        betweenVar: 0.008995727034886866,
      },
    },
    none: {
      jain: {
        pairVar: 0.000544580868443318,
        repVar: 0.0011404713980468475,
        betweenVar: 0,
      },
      cv: {
        pairVar: 0.014314485507246372,
        repVar: 0.012338008333333334,
        betweenVar: 0,
      },
      roundSkew: {
        pairVar: 0.0087338768115942,
        repVar: 0.008170989583333331,
        betweenVar: 0,
      },
      topShare: {
        pairVar: 0.0035786213768115994,
        repVar: 0.00308450208333333,
        betweenVar: 0,
      },
      rps: {
        pairVar: 0.01635690328924155,
        repVar: 0.043782109155743654,
        betweenVar: 0.03347034838666165,
      },
      p50: {
        pairVar: 0.012014041153671358,
        repVar: 0.0457213793731128,
        betweenVar: 0.02794019836136627,
      },
      p99: {
        pairVar: 0.036509083113799856,
        repVar: 0.07502036565865572,
        betweenVar: 0.03675598107796108,
      },
      primaryCpu: {
        pairVar: 0.07314741563571481,
        repVar: 0.04282220421893178,
        betweenVar: 0.017406060241040862,
      },
      workerCpu: {
        pairVar: 0.005110472731831252,
        repVar: 0.014899320927063454,
        betweenVar: 0.007640341599783289,
      },
      loadGenCpu: {
        pairVar: 0.01669352507618798,
        repVar: 0.018888724165005786,
        betweenVar: 0.012188443626016442,
      },
    },
    'least-connections': {
      jain: {
        pairVar: 7.359195503571313e-10,
        repVar: 8.37761521596854e-9,
        betweenVar: 1.1536035294382832e-9,
      },
      cv: {
        pairVar: 0.000024862318840579715,
        repVar: 0.00003333333333333334,
        betweenVar: 0.000007790724776500641,
      },
      roundSkew: {
        pairVar: 0.0002471014492753629,
        repVar: 0.00020130208333333371,
        betweenVar: 0.00004760167225415075,
      },
      topShare: {
        pairVar: 0.000006215579710144936,
        repVar: 0.00000833333333333335,
        betweenVar: 0.0000019476811941251366,
      },
      rps: {
        pairVar: 0.009911065068618564,
        repVar: 0.05187943208066127,
        betweenVar: 0.04033547150471072,
      },
      p50: {
        pairVar: 0.02082984589545031,
        repVar: 0.04823375465286702,
        betweenVar: 0.03809043351569114,
      },
      p99: {
        pairVar: 0.01749510769098074,
        repVar: 0.08254129355591312,
        betweenVar: 0.03620826548171004,
      },
      primaryCpu: {
        pairVar: 0.0061537779316558254,
        repVar: 0.011214140383367417,
        betweenVar: 0.009560509530061021,
      },
      workerCpu: {
        pairVar: 0.008254213501280468,
        repVar: 0.01383674301251284,
        betweenVar: 0.008950302318020678,
      },
      loadGenCpu: {
        pairVar: 0.007941386394158503,
        repVar: 0.020512465453135845,
        betweenVar: 0.00888333796295171,
      },
    },
    p2c: {
      jain: {
        pairVar: 7.160093373089461e-10,
        repVar: 3.031714737358622e-8,
        betweenVar: 2.346635100058154e-9,
      },
      cv: {
        pairVar: 0.000026666666666666673,
        repVar: 0.00005056666666666667,
        betweenVar: 0.0000059020234674329525,
      },
      roundSkew: {
        pairVar: 0.00004524456521739139,
        repVar: 0.0002990104166666667,
        betweenVar: 0.000031597895713601484,
      },
      topShare: {
        pairVar: 0.00000666666666666668,
        repVar: 0.00001264166666666669,
        betweenVar: 0.0000014755058668583019,
      },
      rps: {
        pairVar: 0.006216671122480712,
        repVar: 0.027567654457523974,
        betweenVar: 0.037170040592411156,
      },
      p50: {
        pairVar: 0.01807428458572884,
        repVar: 0.02880865785921763,
        betweenVar: 0.036379180550225786,
      },
      p99: {
        pairVar: 0.023883667187021455,
        repVar: 0.04199475065086725,
        betweenVar: 0.04839696999889105,
      },
      primaryCpu: {
        pairVar: 0.005372510816332578,
        repVar: 0.012218274617138475,
        betweenVar: 0.0065995385202306306,
      },
      workerCpu: {
        pairVar: 0.003572372991009193,
        repVar: 0.013716154091196656,
        betweenVar: 0.004226115543464864,
      },
      loadGenCpu: {
        pairVar: 0.00747438661501932,
        repVar: 0.019162112929484665,
        betweenVar: 0.0110125755240536,
      },
    },
    'fewest-served': {
      jain: {
        pairVar: 0,
        repVar: 0,
        betweenVar: 0,
      },
      cv: {
        pairVar: 0,
        repVar: 0,
        betweenVar: 0,
      },
      roundSkew: {
        pairVar: 0,
        repVar: 0,
        betweenVar: 0,
      },
      topShare: {
        pairVar: 0,
        repVar: 0,
        betweenVar: 0,
      },
      rps: {
        pairVar: 0.011430487706849785,
        repVar: 0.03461766163577007,
        betweenVar: 0.04585429433860041,
      },
      p50: {
        pairVar: 0.022910521513880806,
        repVar: 0.03923796286381768,
        betweenVar: 0.048766091341078496,
      },
      p99: {
        pairVar: 0.0455275130349458,
        repVar: 0.06202142714097926,
        betweenVar: 0.05613444011518527,
      },
      primaryCpu: {
        pairVar: 0.005510286441153492,
        repVar: 0.012794213361967623,
        betweenVar: 0.010949698879414181,
      },
      workerCpu: {
        pairVar: 0.007999020648866952,
        repVar: 0.010850339880705733,
        betweenVar: 0.011349160202754017,
      },
      loadGenCpu: {
        pairVar: 0.011720925704645207,
        repVar: 0.017426403418359666,
        betweenVar: 0.011246973980970902,
      },
    },
  },
};
