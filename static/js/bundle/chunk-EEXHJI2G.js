import{a}from"./chunk-XF5266Z4.js";import"./chunk-6P2IUNPI.js";import"./chunk-TTEJJP5K.js";import"./chunk-A4GLZMZL.js";import"./chunk-POKVPIMI.js";import"./chunk-K33GDEOG.js";import"./chunk-QRXGINDP.js";export{a as TrainingView};
//# sourceMappingURL=chunk-EEXHJI2G.js.map
